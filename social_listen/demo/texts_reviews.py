"""Review texts by stars (1-5): product reviews (WooCommerce, marketplaces) and shop/service reviews (Trustpilot,
Google). Slots as in texts_es / texts_en. Written for this demo."""

from __future__ import annotations

PRODUCT: dict[int, dict[str, tuple[str, ...]]] = {
    5: {
        "es": (
            "{El_prod} {es} precios{o} y muy cómod{o}.",
            "Calidad buenísima, se nota en las costuras.",
            "Exactamente como en la foto, el {color} es precioso.",
            "Es la segunda vez que compro {el_prod}.",
            "Me {queda} como un guante en la {talla}.",
            "Perfect{o} para el día a día, {lo} uso sin parar.",
            "Llegó en {dias} días y bien envuelto.",
        ),
        "en": (
            "{The_prod} {is} beautiful and really comfortable.",
            "Great quality, you can tell from the stitching.",
            "Exactly like the photos, the {color} is lovely.",
            "Second time buying {the_prod}.",
            "Fits like a glove in {size}.",
            "Perfect for every day, I wear {it} constantly.",
        ),
    },
    4: {
        "es": (
            "Muy bonit{o}, aunque talla{n} un poco pequeño.",
            "Me gusta{n} mucho; el {color} es algo más oscuro que en la foto.",
            "Buena calidad. El envío tardó {dias} días, un poco más de lo previsto.",
            "Cómod{o} desde el primer día, le quito una estrella por el precio.",
            "Bonit{o} y bien acabad{o}. Pedí la {talla} y me va justa.",
        ),
        "en": (
            "Really nice, though {it} {runs} a bit small.",
            "Love {it}; the {color} is a touch darker than the photo.",
            "Good quality. Delivery took {dias} days, a little longer than promised.",
            "Comfy from day one, one star off for the price.",
            "Well made. Got the {size} and it's snug.",
        ),
    },
    3: {
        "es": (
            "Está{n} bien, sin más.",
            "Bonit{o} pero la tela es más fina de lo que esperaba.",
            "Tuve que cambiar la talla y el proceso fue lento.",
            "Correct{o} por el precio, no {es} para tanto.",
            "El diseño me encanta pero el {color} destiñe un poco.",
        ),
        "en": (
            "It's fine, nothing special.",
            "Pretty, but the fabric is thinner than I expected.",
            "Had to exchange the size and it took a while.",
            "Decent for the price, not amazing.",
            "Love the design, but the {color} bleeds a bit in the wash.",
        ),
    },
    2: {
        "es": (
            "La calidad no es la de antes.",
            "Se ve{n} bonit{o} pero a la semana ya tenía{n} {defecto}.",
            "Talla{n} fatal, nada que ver con la guía de tallas.",
            "Tardó {dias} días en llegar y vino mal empaquetado.",
            "Para {precio} esperaba bastante más.",
        ),
        "en": (
            "Quality isn't what it used to be.",
            "Looks nice but after a week there was {defecto}.",
            "Sizing is way off compared to the size guide.",
            "Took {dias} days to arrive and was badly packed.",
            "For {precio} I expected a lot more.",
        ),
    },
    1: {
        "es": (
            "{El_prod} {vino} con {defecto} y nadie me da solución.",
            "Horrible. Pedí la {talla} y me llegó otra.",
            "No lo recomiendo: a los {dias} días {el_prod} ya tenía{n} {defecto}.",
            "Devolución imposible, llevo {semanas} semanas esperando.",
        ),
        "en": (
            "{The_prod} arrived with {defecto} and nobody will help.",
            "Awful. Ordered {size}, got a different size.",
            "Don't buy: after {dias} days there was {defecto}.",
            "Return process is impossible, {semanas} weeks and waiting.",
        ),
    },
}

SERVICE: dict[int, dict[str, tuple[str, ...]]] = {
    5: {
        "es": (
            "Envío rapidísimo y todo perfecto.",
            "Atención de diez: me resolvieron un cambio de talla en un día.",
            "Lucía me ayudó a elegir talla por Instagram, un encanto.",
            "Pedí el {dia} y el pedido llegó a {ciudad} en {dias} días.",
            "Buenísima experiencia, desde la web hasta el paquete.",
            "Mateo me atendió por teléfono y todo solucionado.",
        ),
        "en": (
            "Super fast delivery and everything perfect.",
            "Ten out of ten service: size exchange sorted in a day.",
            "Ordered on {dia}, arrived in {ciudad} {dias} days later.",
            "Great experience from website to parcel.",
            "Lovely people, they answered my DM in minutes.",
        ),
    },
    4: {
        "es": (
            "Muy buena experiencia en general; el envío tardó {dias} días.",
            "Buena atención, aunque tardaron un poco en contestar.",
            "Todo bien, solo echo de menos más tallas grandes.",
            "La web es cómoda y el pago con {pago} fue fácil.",
        ),
        "en": (
            "Very good overall; delivery took {dias} days.",
            "Good service, a bit slow to reply though.",
            "All good, just wish there were more sizes.",
            "Easy checkout, paid with {pago} no problem.",
        ),
    },
    3: {
        "es": (
            "Producto bien, atención mejorable.",
            "El pedido llegó, pero incompleto, y lo arreglaron a la segunda.",
            "Ni fu ni fa. Tardaron {dias} días en responder un correo.",
        ),
        "en": (
            "Product fine, service could be better.",
            "Order arrived incomplete, they fixed it on the second try.",
            "Meh. Took {dias} days to answer an email.",
        ),
    },
    2: {
        "es": (
            "Tuve que escribir cuatro veces para que me respondieran.",
            "El reembolso tardó {semanas} semanas.",
            "Me cobraron los gastos de devolución sin avisar.",
        ),
        "en": (
            "Had to email four times to get a reply.",
            "Refund took {semanas} weeks.",
            "Charged me for return shipping without warning.",
        ),
    },
    1: {
        "es": (
            "Mi pedido nunca llegó y nadie responde.",
            "Me cobraron dos veces y todavía espero el reembolso.",
            "Pésimo servicio: {dias} días sin noticias del pedido {pedido}.",
            "Nadie contesta ni al teléfono ni al correo.",
        ),
        "en": (
            "My order never arrived and nobody answers.",
            "Charged twice and still waiting for the refund.",
            "Terrible service: {dias} days without news about order {pedido}.",
            "No one picks up the phone or replies to email.",
        ),
    },
}

# Google reviews of the physical store (showroom).
STORE: dict[int, dict[str, tuple[str, ...]]] = {
    5: {
        "es": (
            "La tienda es preciosa y las dependientas muy majas.",
            "Tienda pequeñita con mucho encanto, salí con {el_prod}.",
            "Me dejaron probarme cinco tallas sin una mala cara.",
        ),
        "en": ("Beautiful little shop, staff were lovely.", "Tried on five sizes and nobody rushed me."),
    },
    4: {
        "es": ("Muy bonita la tienda; un poco de cola para los probadores el sábado.",),
        "en": ("Lovely store, a bit of a queue for the fitting rooms on Saturday.",),
    },
    3: {
        "es": ("Bien, pero no tenían mi talla {del_prod} y en la web sí.",),
        "en": ("Fine, but my size wasn't in store even though the website said so.",),
    },
    2: {
        "es": ("Fui a cambiar {el_prod} y me pusieron mil pegas.",),
        "en": ("Went to exchange {the_prod} and they made it really difficult.",),
    },
    1: {
        "es": ("El horario de Google no es el real: fui un {dia} y estaba cerrado.",),
        "en": ("Opening hours on Google are wrong: went on {dia} and it was closed.",),
    },
}

TITLES: dict[int, dict[str, tuple[str, ...]]] = {
    5: {
        "es": ("Todo perfecto", "Me encanta", "Rápidos y amables", "Repetiré", "Un 10"),
        "en": ("Fantastic service", "Love my order", "Fast and friendly", "Will order again"),
    },
    4: {
        "es": ("Muy bien", "Bien, con un pero", "Buena compra"),
        "en": ("Good overall", "Nice, slow delivery"),
    },
    3: {"es": ("Mejorable", "Regular"), "en": ("OK but could be better", "Average")},
    2: {"es": ("Decepcionante", "Esperaba más"), "en": ("Disappointing", "Not great")},
    1: {
        "es": ("No compréis aquí", "Nunca llegó mi pedido", "Pésimo"),
        "en": ("Avoid", "Never received my order"),
    },
}

# Regional touches appended to Spanish reviews, by tone.
FLAVOR: dict[str, dict[str, tuple[str, ...]]] = {
    "es_ES": {"good": ("¡Repetiré!", "Muy recomendable."), "bad": ("Una pena.", "No volveré a pedir.")},
    "es_MX": {
        "good": ("Súper recomendable, está padrísimo.", "Bien bonito todo."),
        "bad": ("Qué coraje, la verdad.",),
    },
    "es_AR": {
        "good": ("Posta, re recomendable.", "Bárbaro todo."),
        "bad": ("Una lástima, che.", "Una vergüenza."),
    },
    "es_usted": {"good": ("Lo recomiendo ampliamente.",), "bad": ("Espero que mejoren.",)},
    "en": {"good": ("Highly recommend.", "Would buy again."), "bad": ("Shame.", "Won't be back.")},
}
