"""What the shops write back: replies by intent in the customer's register (tú, vos, usted, English).
Slots: {name} {agent} {marca} plus the product and detail slots. Written for this demo."""

from __future__ import annotations

GREETINGS: dict[str, tuple[str, ...]] = {
    "es_ES": ("¡Hola, {name}!", "Hola {name} 👋", "¡Buenas, {name}!", "Hola, {name}.", "¡Hola {name}!"),
    "es_MX": ("¡Hola, {name}!", "Hola {name} 👋", "¡Qué tal, {name}!", "Hola, {name}."),
    "es_AR": ("¡Hola, {name}!", "Hola {name} 👋", "¡Buenas, {name}!", "Hola, {name}."),
    "es_usted": (
        "Buenos días, {name}.",
        "Cordial saludo, {name}.",
        "Hola, {name}.",
        "Buenas tardes, {name}.",
    ),
    "en": ("Hi {name}!", "Hey {name} 👋", "Hi {name} :)", "Hello {name}!"),
}

SIGNOFFS: dict[str, tuple[str, ...]] = {
    "es_ES": ("Un abrazo, {agent}.", "— {agent}, equipo {marca}", "¡Gracias! {agent}", "{agent} · {marca}"),
    "es_MX": ("Saludos, {agent}.", "— {agent}, equipo {marca}", "¡Gracias! {agent}"),
    "es_AR": ("Abrazo, {agent}.", "— {agent}, equipo {marca}", "¡Gracias! {agent}"),
    "es_usted": (
        "Atentamente, {agent} ({marca}).",
        "Un saludo cordial, {agent}.",
        "— {agent}, atención al cliente",
    ),
    "en": ("— {agent}", "Cheers, {agent}", "{agent} at {marca}", "Thanks! {agent}"),
}

_S = dict[str, tuple[str, ...]]

SHIPPING: _S = {
    "es_ES": (
        "Sí, enviamos a {ciudad}: tarda {dias_envio} y es gratis a partir de {umbral}.",
        "Enviamos con {transportista} y suele tardar {dias_envio}. Si pides hoy antes de las 14 h sale hoy mismo.",
    ),
    "es_MX": (
        "¡Sí enviamos a {ciudad}! Tarda {dias_envio} con DHL y los impuestos ya van incluidos.",
        "Claro, llega en {dias_envio}. Te mandamos la guía por correo en cuanto sale.",
    ),
    "es_AR": (
        "¡Sí, mandamos a {ciudad}! Tarda {dias_envio} y te pasamos el seguimiento por mail.",
        "Llega en {dias_envio} aprox. Si querés, escribinos por privado y te confirmamos el costo exacto.",
    ),
    "es_usted": (
        "Sí, realizamos envíos a {ciudad}. El plazo es de {dias_envio} y le enviaremos el número de guía.",
        "El envío a {ciudad} tarda {dias_envio}. Cualquier duda, estamos a su disposición.",
    ),
    "en": (
        "Yes, we ship to {ciudad}! It takes {dias_envio} and it's free over {umbral}.",
        "We ship with {transportista}, usually {dias_envio}. Order before 2pm and it leaves the same day.",
    ),
}

NOT_RECEIVED: _S = {
    "es_ES": (
        "Sentimos mucho el retraso. Escríbenos por privado con el número de pedido y lo revisamos con {transportista} ahora mismo.",
        "Qué rabia, lo sentimos. Ya hemos abierto incidencia con {transportista}; te escribimos por privado con novedades.",
        "Lo sentimos muchísimo. Si mañana no ha llegado, te lo reenviamos sin coste.",
    ),
    "es_MX": (
        "Lo sentimos mucho. Mándanos DM con tu número de pedido y lo checamos con la paquetería.",
        "Una disculpa por la espera. Ya levantamos reporte con {transportista} y te escribimos por DM.",
    ),
    "es_AR": (
        "Uy, perdón por la demora. Escribinos por privado con el número de pedido y lo revisamos ya.",
        "Lo sentimos mucho. Ya hicimos el reclamo a {transportista}; fijate en tu mail que te pasamos las novedades.",
    ),
    "es_usted": (
        "Lamentamos mucho el retraso. Por favor, envíenos su número de pedido por mensaje privado y lo revisaremos.",
        "Disculpe las molestias. Hemos abierto una incidencia con {transportista} y le informaremos por correo.",
    ),
    "en": (
        "So sorry about the delay. DM us your order number and we'll chase {transportista} right away.",
        "Really sorry. We've opened a claim with the carrier and will email you an update today.",
        "Apologies! If it hasn't arrived by tomorrow we'll send a replacement free of charge.",
    ),
}

RETURN_REFUND: _S = {
    "es_ES": (
        "Tienes 30 días para cambios y devoluciones; el cambio de talla es gratis. Te mandamos la etiqueta por email.",
        "Claro: desde «Mis pedidos» pides el cambio y te recogemos el paquete en casa sin coste.",
    ),
    "es_MX": (
        "Tienes 30 días para cambios. El cambio de talla no tiene costo: te mandamos la guía de devolución por correo.",
    ),
    "es_AR": (
        "Tenés 30 días para cambios y el cambio de talle es sin costo. Te mandamos la etiqueta por mail.",
        "Perdón por lo del formulario: mandanos el número de pedido por privado y te hacemos el cambio nosotros.",
    ),
    "es_usted": (
        "Dispone de 30 días para cambios y devoluciones. Le enviamos las instrucciones por correo electrónico.",
    ),
    "en": ("You have 30 days for returns and size exchanges are free. We'll email you a label.",),
}

PAYMENT: _S = {
    "es_ES": (
        "Aceptamos tarjeta, PayPal y Bizum. Si te hemos cobrado dos veces, el cargo duplicado se anula solo en 48 h; escríbenos y lo confirmamos.",
    ),
    "es_MX": ("Aceptamos tarjeta, PayPal y pago en OXXO, y tenemos 3 meses sin intereses desde 1.500 MXN.",),
    "es_AR": (
        "Aceptamos Mercado Pago (con cuotas) y transferencia. Si te cobramos dos veces, mandanos el comprobante por privado.",
    ),
    "es_usted": (
        "Aceptamos tarjeta y transferencia. Si observa un doble cobro, envíenos el comprobante y lo revisamos.",
    ),
    "en": (
        "We take cards, PayPal, Apple Pay and Klarna. If you were charged twice, the hold drops off in 48h; DM us and we'll confirm.",
    ),
}

SIZE_FIT: _S = {
    "es_ES": (
        "{El_prod} talla{n} normal; si estás entre dos tallas, te recomendamos la {talla2}.",
        "Para tus medidas te iría bien la {talla}. Y si no, el cambio es gratis.",
    ),
    "es_MX": (
        "{El_prod} viene{n} en talla normal; si estás entre dos, mejor la {talla2}.",
        "Con tus medidas te recomendamos la {talla}. Si no te queda, el cambio no tiene costo.",
    ),
    "es_AR": (
        "{El_prod} viene{n} en talle normal; si estás entre dos, pedí el {talla2}.",
        "Con esas medidas te va a ir bien el {talla}. Y si no, lo cambiás sin costo.",
    ),
    "es_usted": (
        "{El_prod} tiene{n} un tallaje normal. Si duda entre dos tallas, le recomendamos la {talla2}.",
    ),
    "en": (
        "{The_prod} {runs} true to size; if you're between sizes, go for the {size2}.",
        "For your measurements the {size} should be right, and exchanges are free if not.",
    ),
}

STOCK: _S = {
    "es_ES": (
        "¡Vuelve{n} en {semanas} semanas! Si te apuntas al aviso en la web, te escribimos en cuanto entre{n}.",
    ),
    "es_MX": ("Resurtimos en {semanas} semanas. Regístrate en el aviso de la página y te llega un correo.",),
    "es_AR": ("Vuelve{n} en {semanas} semanas. Anotate en el aviso de la web y te llega un mail.",),
    "es_usted": ("Esperamos reposición en {semanas} semanas. Puede registrarse en el aviso de la web.",),
    "en": (
        "Back in {semanas} weeks! Sign up for the restock alert on the product page and we'll email you.",
    ),
}

INVOICE: _S = {
    "es_ES": (
        "Puedes descargar la factura desde «Mis pedidos»; si necesitas el CIF de tu empresa, mándanoslo por email y la rehacemos.",
    ),
    "es_MX": ("Envíanos tu constancia de situación fiscal por correo y te mandamos el CFDI en 48 h.",),
    "es_AR": ("Mandanos los datos fiscales por mail y te enviamos la factura en el día.",),
    "es_usted": ("Envíenos sus datos fiscales por correo y le remitiremos la factura en 48 horas.",),
    "en": (
        "You can download the invoice from 'My orders'; email us your company details and we'll reissue it.",
    ),
}

DISCOUNT: _S = {
    "es_ES": (
        "Con el código HOLA10 tienes un 10 % en tu primera compra. Si {codigo} no te funciona, escríbenos y lo miramos.",
    ),
    "es_MX": (
        "Usa el código HOLA10 para un 10 % en tu primera compra. Si no te aplica, mándanos captura por DM.",
    ),
    "es_AR": ("Tenés un 10 % con HOLA10 en la primera compra. Si no te anda, mandanos captura por privado.",),
    "es_usted": ("Puede usar el código HOLA10 para un 10 % en su primera compra.",),
    "en": ("Use WELCOME10 for 10% off your first order. If {codigo} isn't working, DM us a screenshot.",),
}

PRAISE: _S = {
    "es_ES": (
        "¡Qué ilusión leerte! Nos alegra muchísimo que te encante{n} {el_prod}.",
        "¡Gracias por compartirlo! Disfrútal{o} mucho.",
    ),
    "es_MX": ("¡Qué gusto leerte! Nos alegra que te encanten.", "¡Muchas gracias! Que {lo} disfrutes mucho."),
    "es_AR": (
        "¡Qué lindo leerte! Nos alegra un montón que te guste{n}.",
        "¡Gracias! Disfrutal{o} un montón.",
    ),
    "es_usted": ("Muchas gracias por sus palabras. Nos alegra que esté contenta con su compra.",),
    "en": ("Thank you so much! So happy you love {the_prod}.", "This made our day, thanks for sharing!"),
}

DEFECTIVE: _S = {
    "es_ES": (
        "Lo sentimos muchísimo. Mándanos una foto por privado y te enviamos {el_prod} nuev{o} sin coste.",
        "Eso no debería pasar. Te escribimos por privado para cambiar{lo} esta misma semana.",
    ),
    "es_MX": ("Lo sentimos mucho. Mándanos foto por DM y te enviamos un cambio sin costo.",),
    "es_AR": (
        "Perdón, eso no tendría que pasar. Mandanos una foto por privado y te lo cambiamos sin costo.",
    ),
    "es_usted": (
        "Lamentamos lo ocurrido. Envíenos una fotografía por privado y gestionaremos el cambio sin coste.",
    ),
    "en": ("So sorry about that. DM us a photo and we'll send you a replacement free of charge.",),
}

NO_RESPONSE: _S = {
    "es_ES": ("Perdona la espera, hemos tenido muchísimo volumen. Ya te hemos contestado por privado.",),
    "es_MX": ("Una disculpa por la demora, tuvimos muchísimos mensajes. Ya te respondimos por DM.",),
    "es_AR": ("Perdón por la demora, tuvimos muchísimos mensajes. Ya te respondimos por privado.",),
    "es_usted": ("Disculpe la demora. Ya le hemos respondido por mensaje privado.",),
    "en": ("Sorry for the wait, we've had a huge volume of messages. We've just replied to your DM.",),
}

QUESTION: _S = {  # care
    "es_ES": (
        "{El_prod} se puede{n} lavar a 30 °C del revés; mejor sin secadora.",
        "Lavado a 30 °C, del revés y sin secadora: así te dura{n} años.",
    ),
    "es_MX": ("Se puede{n} lavar en lavadora en ciclo delicado, sin secadora.",),
    "es_AR": ("Se puede{n} lavar en el lavarropas en ciclo delicado, sin secarropas.",),
    "es_usted": ("Le recomendamos lavado a 30 °C y secado al aire.",),
    "en": (
        "{The_prod} can go in at 30°C inside out; skip the dryer.",
        "Cool wash, inside out, air dry and {they} last for years.",
    ),
}

QUESTION_MATERIAL: _S = {
    "es_ES": ("{El_prod} {lo} fabricamos en Portugal con {material}.", "Es {material}, hecho en Portugal."),
    "es_MX": ("Se fabrica{n} en Portugal con {material}.",),
    "es_AR": ("Se hace{n} en Portugal con {material}.",),
    "es_usted": ("La composición es {material}; se fabrica en Portugal.",),
    "en": ("Made in Portugal from {material}.", "{The_prod} {is} {material}, made in Portugal."),
}

QUESTION_COLOR: _S = {
    "es_ES": ("El {color} es fiel a la foto; con luz natural se ve un pelín más claro.",),
    "es_MX": ("El {color} se ve igual que en la foto, quizá un poquito más claro con luz de día.",),
    "es_AR": ("El {color} es igual a la foto, con luz natural se ve apenas más claro.",),
    "es_usted": ("El color {color} es fiel a la fotografía.",),
    "en": ("The {color} is true to the photo, a touch lighter in daylight.",),
}

SHIPPING_CUSTOMS: _S = {
    "es_ES": ("A Canarias enviamos sin IVA y los gastos de aduana (DUA) corren de nuestra cuenta.",),
    "es_MX": ("Los impuestos de importación ya van incluidos en el precio: no pagas nada al recibir.",),
    "es_AR": ("El envío sale con los impuestos pagos, así que no tenés que pagar nada en la aduana.",),
    "es_usted": ("Los impuestos de importación están incluidos; no tendrá que abonar nada al recibirlo.",),
    "en": ("Duties are included at checkout, so nothing to pay on delivery.",),
}

REFUND: _S = {
    "es_ES": (
        "El reembolso se hace en 3-5 días laborables desde que nos llega la devolución. Te escribimos por privado para mirarlo.",
        "Perdona, ya hemos revisado tu devolución y el reembolso sale hoy; tarda 3-5 días en verse.",
    ),
    "es_MX": (
        "El reembolso tarda de 5 a 7 días hábiles en verse en tu tarjeta. Mándanos DM y lo revisamos.",
    ),
    "es_AR": (
        "Ya lo estamos mirando: el reintegro puede tardar hasta 10 días hábiles según el banco. Escribinos por privado.",
    ),
    "es_usted": (
        "El reembolso se realiza en 3 a 5 días hábiles. Revisaremos su caso y le escribiremos por privado.",
    ),
    "en": ("Refunds take 3-5 business days once the parcel reaches us. DM us and we'll check yours.",),
}

REVIEW_GOOD: _S = {
    "es_ES": ("¡Muchísimas gracias por tu valoración! Nos alegra que te guste{n} {el_prod}.",),
    "es_MX": ("¡Gracias por tu reseña! Qué gusto que te hayan encantado.",),
    "es_AR": ("¡Gracias por tu reseña! Nos alegra un montón.",),
    "es_usted": ("Muchas gracias por su valoración. Esperamos verle pronto.",),
    "en": ("Thanks so much for the review! Glad you love {the_prod}.",),
}

REVIEW_BAD: _S = {
    "es_ES": ("Sentimos mucho tu experiencia. Te hemos escrito por email para solucionarlo cuanto antes.",),
    "es_MX": ("Lamentamos mucho lo ocurrido. Te escribimos por correo para resolverlo.",),
    "es_AR": ("Lamentamos mucho lo que pasó. Te escribimos por mail para resolverlo ya.",),
    "es_usted": ("Lamentamos su experiencia. Le hemos escrito por correo para darle una solución.",),
    "en": ("We're really sorry. We've emailed you to put this right as soon as possible.",),
}

BY_INTENT: dict[str, _S] = {
    "shipping": SHIPPING, "not_received": NOT_RECEIVED, "return_refund": RETURN_REFUND, "payment": PAYMENT,
    "size_fit": SIZE_FIT, "stock": STOCK, "invoice": INVOICE, "discount": DISCOUNT, "praise": PRAISE,
    "defective": DEFECTIVE, "no_response": NO_RESPONSE, "sarcasm": NO_RESPONSE, "question": QUESTION,
    "review_good": REVIEW_GOOD, "review_bad": REVIEW_BAD, "refund": REFUND, "question_material": QUESTION_MATERIAL,
    "question_color": QUESTION_COLOR, "shipping_customs": SHIPPING_CUSTOMS,
}  # fmt: skip

# Which answer fits: (intent, words in the customer's message) -> the bank to answer from.
REPLY_TOPICS = (
    ("return_refund", r"reembols|refund|plata|dinero|reintegro|devuelto|devolvi"),
    ("question", r"color|colour|foto|photo|oscuro|claro|lighter"),
    ("question", r"material|tela|made of|composici|vegan|lino|linen|fabric|fabric|make "),
    ("shipping", r"aduana|customs|duties|impuesto|canarias"),
)
TOPIC_BANKS = ("refund", "question_color", "question_material", "shipping_customs")

SHIPPING_DAYS = {
    "ES": "24-72 h", "EU": "24-72 h", "MX": "5-8 días hábiles", "AR": "7-12 días hábiles", "UY": "6-10 días hábiles",
    "CO": "6-10 días hábiles", "PE": "6-10 días hábiles", "US": "4-7 business days", "UK": "3-5 business days",
    "USES": "3-6 días hábiles",
}  # fmt: skip
