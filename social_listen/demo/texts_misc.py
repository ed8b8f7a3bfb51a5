"""Spam, what the shops publish (videos, posts, captions, blog articles), agents' notes and saved replies."""

from __future__ import annotations

# Spam, with links, handles, HTML and markdown that a dashboard must show escaped.
SPAM: dict[str, tuple[str, ...]] = {
    "es": (
        "Gana dinero desde casa 👉 {link} 💸💸",
        "¿Quieres ganar {amount} € al día sin salir de casa? Escríbeme 👉 @{handle}",
        "Sorteo de iPhone 15 para los primeros 100, entra ya 👉 {link}",
        "Compra seguidores reales y baratos 👉 {link} ✅✅",
        "<b>OFERTA</b> réplicas de zapatillas de marca a 19 € 👉 [tienda oficial](https://{domain}/promo)",
        "Hola guapa, me encanta tu perfil 😍 mira el mío para una colaboración 🙏 @{handle}",
        "Invierte en cripto con mi mentor y triplica tu dinero 📈 {link}",
        "Trabajo desde casa, {amount} € semanales, solo necesitas un móvil. Info 👉 {link}",
        "Preciosa tienda 😍 promociono tu cuenta en mi página de {amount}k, escríbeme @{handle}",
    ),
    "en": (
        "Make ${amount}/day from home 👉 {link}",
        "DM me for collab 💕 @{handle}",
        "Free followers ✅ {link}",
        "<img src=x onerror=alert(1)> check this out {link}",
        "Crypto signals with 300% returns 🚀 join {link}",
        "Nice page! Promote it on @{handle} for real growth 🔥",
        "Click <a href='https://{domain}/win'>here</a> to claim your gift card 🎁",
    ),
}
SPAM_DOMAINS = ("bit.ly/3xGana", "tinyurl.com/ganar-ya", "cutt.ly/promo24", "ganar-dinero.example", "free-followers.example",
                "crypto-mentor.example", "replicas-baratas.example", "win-big.example")  # fmt: skip

VIDEOS: dict[str, tuple[str, ...]] = {
    "luna": (
        "Lookbook primavera | Colección Marea",
        "Zapatillas Aurora: ¿qué talla pedir?",
        "Unboxing de un pedido Tienda Luna",
        "3 looks con la chaqueta Brisa",
        "Así hacemos el vestido Marea (detrás de las cámaras)",
        "Haul Semana Luna -30 %",
        "Cómo cuidar la camisa de lino Sol",
        "Botines Duna: prueba de 30 días",
        "Mochila Nube: todo lo que cabe",
        "Guía de tallas en 2 minutos",
        "Entrevista a nuestra diseñadora",
        "Novedades de otoño: abrigo Niebla",
    ),
    "harbor": (
        "Ridge boots: 6 months later",
        "Summit parka in a snowstorm",
        "How we make the Drift hoodie",
        "Fall lookbook | Harbor & Pine",
        "Tidal sneakers size guide",
    ),
}

POSTS: dict[str, tuple[str, ...]] = {
    "luna": (
        "☀️ Llega la colección Marea: vestidos ligeros para todo el verano. ¿Cuál es vuestro favorito?",
        "¡Empieza la Semana Luna! -30 % en toda la web hasta el domingo 🌙",
        "¿Qué color de las zapatillas {model} os gusta más: blanco, arena o rosa palo?",
        "Aviso: por la huelga de transporte algunos envíos pueden retrasarse 2-3 días. Gracias por la paciencia 🙏",
        "Nuevo en la tienda: {noun} {model} 🌿",
        "Sorteo 🎁 Gana {noun_un} {model}: sigue la cuenta y etiqueta a dos amigas.",
        "Así preparamos vuestros pedidos cada mañana en el taller 📦",
        "Reponemos {noun} {model} en todas las tallas ✨",
        "Horario especial de la tienda de Malasaña este puente: sábado de 11 a 14 h.",
        "Gracias por las {count} valoraciones de cinco estrellas 💛",
        "Look del día: {noun} {model} + chaqueta Brisa.",
        "¿Sabíais que el {noun} {model} está hecho en Portugal?",
    ),
    "harbor": (
        "Fall drop is live 🍂 Summit parka, Pine flannel and more.",
        "Restock alert: {model} {noun} in every size.",
        "Behind the seams: how the Drift hoodie is made.",
        "Trail-tested: Ridge boots after 500 miles.",
        "Giveaway 🎁 win a Summit parka — tag a friend!",
        "Our Williamsburg store is open late on Thursdays.",
    ),
}

BLOG_POSTS: tuple[tuple[str, str], ...] = (
    ("guia-de-tallas-calzado", "Guía de tallas de calzado: cómo medir tu pie en casa"),
    ("cuidar-el-lino", "Cómo cuidar las prendas de lino para que duren años"),
    ("coleccion-marea", "Así nació la colección Marea"),
    ("envios-latinoamerica", "Envíos a Latinoamérica: plazos, aduanas y todo lo que necesitas saber"),
    ("devoluciones-faciles", "Devoluciones y cambios: lo hemos hecho más fácil"),
    ("armario-capsula", "Un armario cápsula con 10 prendas Tienda Luna"),
    ("zapatillas-aurora-suela", "Zapatillas Aurora: sobre la suela del lote de marzo"),
    ("moda-sostenible", "Qué significa para nosotras la moda sostenible"),
    ("regalos-dia-de-la-madre", "Ideas de regalo para el Día de la Madre"),
    ("semana-luna", "Semana Luna: preguntas frecuentes"),
    ("botines-duna-cuidado", "Cómo cuidar el cuero de tus botines Duna"),
    ("viajar-ligera", "Viajar ligera: qué meter en la mochila Nube"),
)

MAGAZINE_PAGES: tuple[tuple[str, str], ...] = (
    ("entrevista-ilustradora", "Revista Luna: entrevista con la ilustradora de nuestras cajas"),
    ("tendencias-verano", "Revista Luna: 5 tendencias de verano que sí nos ponemos"),
    ("lookbook-oficina", "Revista Luna: lookbook para la oficina"),
    ("taller-portugal", "Revista Luna: visitamos el taller de Guimarães"),
    ("playlist-tienda", "Revista Luna: la playlist de la tienda"),
    ("sorteo-aniversario", "Revista Luna: sorteo de aniversario (bases)"),
)

MARKETPLACE_PAGES: tuple[tuple[str, str], ...] = (
    ("aurora", "Zapatillas Aurora - Tienda Luna | Mercado Moda"),
    ("brisa", "Chaqueta Brisa - Tienda Luna | Mercado Moda"),
    ("marea", "Vestido Marea - Tienda Luna | Mercado Moda"),
    ("duna", "Botines Duna - Tienda Luna | Mercado Moda"),
    ("nube", "Mochila Nube - Tienda Luna | Mercado Moda"),
)

# What agents write in internal notes.
NOTES: dict[str, tuple[str, ...]] = {
    "es": (
        "Llamé a {transportista}: el paquete está en la oficina de destino. Le he mandado la dirección por DM.",
        "Pedido reenviado con SEUR; seguimiento enviado por email.",
        "Posible cargo duplicado: revisado con el banco, reembolso en 3-5 días.",
        "Ofrecer el cambio de talla sin coste y un 10 % en la próxima compra.",
        "Clienta enfadada pero razonable. Le he pedido fotos del defecto.",
        "Lote de suelas de marzo: ya van varias. Avisado a producción.",
        "Ya contestado por email, cerrar cuando confirme.",
        "Esperando que nos mande el número de pedido.",
        "Es la segunda vez que le pasa: priorizar.",
        "Factura rehecha con el CIF correcto y enviada.",
    ),
    "en": (
        "Called {transportista}: parcel is at the local depot. DMed her the address.",
        "Replacement sent, tracking emailed.",
        "Refund processed, 3-5 days.",
        "Offered a free exchange + 10% off next order.",
        "Waiting for her order number.",
    ),
}
