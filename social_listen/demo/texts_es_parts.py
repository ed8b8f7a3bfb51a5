"""The Spanish parts around a message body: openers, closers, extra details, other customers chiming in, and
the author coming back. By voice, as in texts_es. Written for this demo."""

from __future__ import annotations

OPENERS: dict[str, dict[str, tuple[str, ...]]] = {
    "es_ES": {
        "question": (
            "Hola!",
            "Hola, buenas.",
            "Buenas tardes,",
            "Holaa",
            "Una pregunta:",
            "Hola chicas,",
            "Hola equipo {marca},",
            "Buenos días :)",
            "Ey,",
        ),
        "complaint": (
            "Hola.",
            "A ver,",
            "Vamos a ver.",
            "Esto es increíble.",
            "Buenas.",
            "Hola {marca}:",
            "Perdonad pero",
        ),
        "praise": (
            "¡Qué maravilla!",
            "Chicas,",
            "Os tengo que decir una cosa:",
            "Madre mía,",
            "Holaa!",
            "Ay, {marca},",
        ),
    },
    "es_MX": {
        "question": (
            "Hola!",
            "Buen día,",
            "Hola, una pregunta",
            "Qué tal,",
            "Oigan,",
            "Holi,",
            "Buenas tardes!",
        ),
        "complaint": ("Oigan,", "Hola, ¿qué pasó?", "Buenas.", "Hola {marca},", "A ver, ayúdenme:"),
        "praise": ("¡Qué padre!", "Ay,", "Holi!", "Nada más quería decir:", "¡Wow!"),
    },
    "es_AR": {
        "question": ("Hola!", "Holaa", "Buenas!", "Che,", "Hola chicos,", "Hola, consulta:", "Holis,"),
        "complaint": ("Che,", "Hola, la verdad que", "Buenas.", "Chicos,", "Hola {marca},"),
        "praise": ("¡Qué lindo!", "Chicos,", "Uf,", "Holaa!", "Nada, quería decirles que"),
    },
    "es_usted": {
        "question": (
            "Buenos días.",
            "Buenas tardes.",
            "Cordial saludo.",
            "Buenas noches, disculpe.",
            "Estimados:",
            "Saludos cordiales.",
        ),
        "complaint": ("Buenas tardes.", "Señores de {marca}:", "Buenos días.", "Estimados:"),
        "praise": ("Buenas tardes.", "Cordial saludo.", "Quería comentarles que"),
    },
}

CLOSERS: dict[str, dict[str, tuple[str, ...]]] = {
    "es_ES": {
        "question": (
            "¡Gracias!",
            "Gracias de antemano.",
            "Un saludo.",
            "¡Mil gracias!",
            "Gracias, majos.",
            "Espero vuestra respuesta :)",
            "Besos!",
        ),
        "complaint": (
            "Espero respuesta.",
            "Muy decepcionada.",
            "Así no.",
            "Necesito una solución ya.",
            "No pienso volver a comprar.",
            "Gracias por nada.",
        ),
        "praise": (
            "¡Repetiré seguro!",
            "Un 10.",
            "Gracias por todo.",
            "Ya estoy mirando lo siguiente.",
            "Os lo recomiendo a todas.",
        ),
    },
    "es_MX": {
        "question": ("¡Gracias!", "Saludos!", "Quedo al pendiente.", "Mil gracias.", "Gracias de antemano!"),
        "complaint": ("Espero su respuesta.", "Qué mal servicio.", "Ya me desesperé.", "Urge, por favor."),
        "praise": (
            "¡Los amo!",
            "Súper recomendados.",
            "Saludos desde {ciudad}!",
            "¡Vuelvo a comprar seguro!",
        ),
    },
    "es_AR": {
        "question": ("Gracias!", "Besos!", "Saludos!", "Mil gracias.", "Gracias, genios!"),
        "complaint": ("Espero respuesta.", "Una vergüenza.", "Ya no sé a quién reclamar.", "Así no, chicos."),
        "praise": ("¡Son lo más!", "Los amo.", "Saludos desde {ciudad}!", "Posta, recomendadísimos."),
    },
    "es_usted": {
        "question": ("Muchas gracias.", "Quedo atenta a su respuesta.", "Quedo atento.", "Muy amable."),
        "complaint": ("Espero una pronta solución.", "Quedo a la espera.", "Agradezco su atención."),
        "praise": ("Muy agradecida.", "Los recomiendo.", "Dios les bendiga."),
    },
}

# Optional middle sentences that add a detail.
EXTRAS: dict[str, dict[str, tuple[str, ...]]] = {
    "es_ES": {
        "question": (
            "Es para un regalo.",
            "Lo necesito para el finde.",
            "Vivo en {ciudad}.",
            "Pedido {pedido}.",
            "Lo he buscado en la web y no lo encuentro.",
        ),
        "complaint": (
            "Pedido {pedido}.",
            "Ya van {dias} días.",
            "He llamado dos veces.",
            "Y el enlace de [seguimiento](https://tracking.example/{transportista}) no funciona.",
            "Era para {evento}.",
        ),
        "praise": (
            "Pedí {el_prod} en {color}.",
            "Me llegó en {dias} días.",
            "<3",
            "Ya os sigo en todas partes.",
        ),
    },
    "es_MX": {
        "question": (
            "Es para regalo.",
            "Vivo en {ciudad}.",
            "Mi pedido es el {pedido}.",
            "Lo quiero para ya.",
        ),
        "complaint": (
            "Pedido {pedido}.",
            "Ya van {dias} días.",
            "Ya les escribí por correo también.",
            "Era para {evento}.",
        ),
        "praise": ("Lo pedí en {color}.", "Llegó en {dias} días.", "Ya le dije a mis primas."),
    },
    "es_AR": {
        "question": (
            "Es para regalar.",
            "Vivo en {ciudad}.",
            "Pedido {pedido}.",
            "Lo necesito para el finde.",
        ),
        "complaint": (
            "Pedido {pedido}.",
            "Ya van {dias} días.",
            "Les escribí por mail también.",
            "Era para {evento}.",
        ),
        "praise": ("Lo pedí en {color}.", "Llegó en {dias} días.", "Ya se lo recomendé a mis amigas."),
    },
    "es_usted": {
        "question": ("Resido en {ciudad}.", "Mi pedido es el {pedido}.", "Es para un obsequio."),
        "complaint": ("Número de pedido: {pedido}.", "Han pasado {dias} días.", "Ya escribí al correo."),
        "praise": ("Llegó en {dias} días.", "Lo pedí en color {color}."),
    },
}

# Other customers joining a thread.
CHIME_INS: dict[str, dict[str, tuple[str, ...]]] = {
    "es_ES": {
        "same_problem": ("A mí me pasó lo mismo con {el_prod}.", "Igual, esperando desde el {dia}.",
                         "Pues yo igual, {dias} días y nada.", "Lo mismo por aquí, pedido {pedido} y ni rastro."),
        "advice": ("@{name} escríbeles por privado, a mí me respondieron ahí.",
                   "@{name} a mí me llegó en {dias} días a {ciudad}.",
                   "@{name} llama a {transportista} con el número de seguimiento, a mí me lo encontraron."),
        "size": ("Yo {lo} tengo en la {talla} y me {queda} perfect{o}.", "@{name} yo pedí la {talla2} y acerté.",
                 "@{name} yo uso la {talla} y me {queda} un pelín just{o}."),
        "same_question": ("Me apunto a la pregunta.", "Yo también quiero saberlo.", "Eso, ¿y a {ciudad} también?"),
        "praise": ("Pues a mí me encanta{n}, yo repetiría.", "Tengo {el_prod} en {color} y {es} una pasada.",
                   "Totalmente, {el_prod} {es} lo más cómodo que tengo."),
    },
    "es_MX": {
        "same_problem": ("Me pasó igual con {el_prod}.", "Yo también estoy esperando el mío.",
                         "Igual yo, ya van {dias} días."),
        "advice": ("@{name} a mí me llegó en {dias} días a {ciudad}.", "@{name} mándales DM, ahí sí contestan."),
        "size": ("@{name} yo pedí talla {talla} y me {quedo} bien.", "Yo uso {talla} y me {quedo} perfect{o}."),
        "same_question": ("También quiero saber!", "Misma duda.", "Yo igual, ¿a {ciudad} también llega?"),
        "praise": ("Yo {lo} tengo en {color} y {es} bien cómod{o}.", "¡Están bien bonitos, yo ya tengo dos!"),
    },
    "es_AR": {
        "same_problem": ("Me pasó lo mismo, che.", "Igual que vos, sigo esperando.", "Lo mismo acá, {dias} días."),
        "advice": ("@{name} a mí me llegó a {ciudad} en {dias} días.",
                   "@{name} escribiles por privado que ahí contestan rápido."),
        "size": ("@{name} yo {lo} pedí en {talla} y me {quedo} bárbaro.", "Yo uso {talla} y me {queda} justo, ojo."),
        "same_question": ("Sumo consulta.", "Me sumo a la pregunta.", "Eso, ¿y a {ciudad} mandan?"),
        "praise": ("Yo tengo {el_prod} en {color} y {es} re cómod{o}.", "Posta, son lo más."),
    },
    "es_usted": {
        "same_problem": ("A mí también me sucedió lo mismo.", "Estoy en la misma situación con mi pedido."),
        "advice": ("@{name} en mi caso llegó en {dias} días a {ciudad}.",
                   "@{name} le recomiendo escribirles por privado, a mí me atendieron bien."),
        "size": ("Yo compré {el_prod} en talla {talla} y quedé muy conforme.",),
        "same_question": ("Tengo la misma consulta.", "Me interesa también la respuesta.",
                          "Tengo la misma consulta sobre {el_prod}.", "¿Y envían a {ciudad}? Tengo la misma duda."),
        "praise": ("Coincido, muy buena calidad.", "Coincido: {el_prod} en {color} {es} precios{o}."),
    },
}  # fmt: skip

# The original author coming back: before any answer, and after the brand's answer.
FOLLOW_UPS: dict[str, dict[str, tuple[str, ...]]] = {
    "es_ES": {
        "waiting": (
            "¿Alguien?",
            "Sigo esperando respuesta...",
            "Os acabo de escribir por privado con el pedido {pedido}.",
            "Hola?? Sigo sin respuesta.",
            "Nada, ni caso.",
        ),
        "thanks": (
            "¡Gracias {agent}! Ya os he mandado el número de pedido.",
            "Perfecto, muchas gracias.",
            "Ya me ha llegado, ¡gracias por la rapidez!",
            "Genial, pido la {talla} entonces.",
            "Vale, os escribo por privado.",
            "Gracias, resuelto.",
        ),
    },
    "es_MX": {
        "waiting": ("¿Hola?", "Sigo esperando...", "Ya les mandé DM con mi pedido {pedido}.", "¿Nadie?"),
        "thanks": (
            "¡Gracias {agent}! Ya les mandé DM.",
            "Muchas gracias por la ayuda.",
            "Listo, ya me llegó.",
            "Perfecto, entonces pido la {talla}.",
        ),
    },
    "es_AR": {
        "waiting": (
            "¿Hola?",
            "Sigo esperando, eh.",
            "Ya les mandé privado con el pedido {pedido}.",
            "¿Alguien?",
        ),
        "thanks": (
            "¡Gracias {agent}! Ya te escribí por privado.",
            "Genial, gracias!",
            "Ta, gracias.",
            "Listo, ya me llegó. Gracias!",
            "Buenísimo, pido el {talla} entonces.",
        ),
    },
    "es_usted": {
        "waiting": (
            "¿Alguna novedad?",
            "Sigo a la espera de su respuesta.",
            "Ya envié el número {pedido} por correo.",
        ),
        "thanks": ("Muchas gracias por su atención.", "Muy amable, {agent}.", "Recibido, gracias."),
    },
}
