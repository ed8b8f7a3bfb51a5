"""The demo's saved replies: by intent, language, form of address (tu/usted/vos) and rating range.
``{a|b|c}`` groups hold the tú, usted and vos forms; {name} and {product} are filled when answering."""

from __future__ import annotations

from typing import Any

from social_listen.demo.catalog import HARBOR, LUNA


def _r(brand: str | None, title: str, intent: str | None, language: str, text: str, register: str | None = None,
       min_rating: float | None = None, max_rating: float | None = None) -> dict[str, Any]:  # fmt: skip
    return {"brand": brand, "title": title, "intent": intent, "language": language, "text": text,
            "register": register, "min_rating": min_rating, "max_rating": max_rating}  # fmt: skip


SAVED_REPLIES: tuple[dict[str, Any], ...] = (
    _r(LUNA, "Envío: plazos en España", "shipping", "es",
       "¡Hola, {name}! Enviamos a toda España en 24-72 h y el envío es gratis desde 50 €. Te mandamos el "
       "seguimiento por email en cuanto sale. 🌙", register="tu"),
    _r(LUNA, "Envío: plazos en Latinoamérica", "shipping", "es",
       "Hola {name}, {enviamos a tu país|enviamos a su país|mandamos a tu país} en 6-12 días hábiles, con los "
       "impuestos incluidos. {Te|Le|Te} pasamos el seguimiento por correo."),
    _r(LUNA, "Pedido retrasado", "not_received", "es",
       "Hola {name}, sentimos mucho el retraso. {Escríbenos|Escríbanos|Escribinos} por privado con el número de "
       "pedido y lo revisamos hoy mismo con la empresa de transporte."),
    _r(LUNA, "Pedido marcado como entregado", "not_received", "es",
       "Hola {name}, qué rabia. Ya hemos abierto incidencia con el transportista; si en 48 h no aparece, "
       "{te|le|te} reenviamos el pedido sin coste."),
    _r(LUNA, "Pedido retrasado (usted)", "not_received", "es",
       "Estimado/a {name}: lamentamos el retraso de su pedido. Envíenos el número por mensaje privado y le "
       "informaremos hoy mismo.", register="usted"),
    _r(LUNA, "Devolución y cambio de talla", "return_refund", "es",
       "Hola {name}, {tienes|tiene|tenés} 30 días para cambios y devoluciones, y el cambio de talla es gratis. "
       "{Te|Le|Te} enviamos la etiqueta por email."),
    _r(LUNA, "Reembolso en curso", "return_refund", "es",
       "Hola {name}, el reembolso ya está en marcha: tarda 3-5 días laborables en verse en {tu|su|tu} cuenta."),
    _r(LUNA, "Cobro duplicado", "payment", "es",
       "Hola {name}, el segundo cargo es una preautorización que el banco anula en 48 h. Si no desaparece, "
       "{escríbenos|escríbanos|escribinos} y lo revisamos."),
    _r(LUNA, "Formas de pago", "payment", "es",
       "Hola {name}, aceptamos tarjeta, PayPal, Bizum (España), OXXO (México) y Mercado Pago (Argentina y Uruguay)."),
    _r(LUNA, "Guía de tallas", "size_fit", "es",
       "Hola {name}, {product} tiene un tallaje normal. Si {estás|está|estás} entre dos tallas, "
       "{te|le|te} recomendamos la mayor; el cambio es gratis."),
    _r(LUNA, "Talle (vos)", "size_fit", "es",
       "¡Hola {name}! {product} viene en talle normal. Si dudás entre dos, pedí el más grande: el cambio es sin "
       "costo.", register="vos"),
    _r(LUNA, "Reposición", "stock", "es",
       "Hola {name}, {product} vuelve en 2-3 semanas. Si {te apuntas|se apunta|te anotás} al aviso de la web, "
       "{te|le|te} escribimos en cuanto entre."),
    _r(LUNA, "Factura", "invoice", "es",
       "Hola {name}, {puedes|puede|podés} descargar la factura en «Mis pedidos». Para factura a nombre de empresa, "
       "{envíanos|envíenos|mandanos} los datos fiscales por email."),
    _r(LUNA, "Código de descuento", "price_discount", "es",
       "Hola {name}, con el código HOLA10 {tienes|tiene|tenés} un 10 % en la primera compra. Si no "
       "{te|le|te} funciona, {mándanos|envíenos|mandanos} una captura."),
    _r(LUNA, "Producto defectuoso", "defective", "es",
       "Hola {name}, lo sentimos muchísimo. {Mándanos|Envíenos|Mandanos} una foto por privado y {te|le|te} "
       "enviamos un cambio de {product} sin coste."),
    _r(LUNA, "Perdón por la espera", "no_answer", "es",
       "Hola {name}, perdón por la espera: estos días tenemos muchísimo volumen. Ya {te|le|te} hemos contestado "
       "por privado."),
    _r(LUNA, "Gracias por el comentario", "praise", "es",
       "¡Qué ilusión, {name}! Gracias por {compartirlo|compartirlo|compartirlo}. 💛"),
    _r(LUNA, "Gracias por la reseña (4-5★)", None, "es",
       "¡Gracias, {name}! Nos alegra mucho que {te|le|te} guste {product}. ¡Hasta la próxima! 🌙", min_rating=4),
    _r(LUNA, "Reseña regular (3★)", None, "es",
       "Hola {name}, gracias por {tu|su|tu} valoración. Tomamos nota para mejorar; si {quieres|quiere|querés}, "
       "{escríbenos|escríbanos|escribinos} y lo vemos juntos.", min_rating=3, max_rating=3),
    _r(LUNA, "Reseña negativa (1-2★)", None, "es",
       "Hola {name}, sentimos mucho {tu|su|tu} experiencia con {product}. {Te|Le|Te} hemos escrito por email para "
       "solucionarlo cuanto antes.", max_rating=2),
    _r(None, "Late order", "not_received", "en",
       "Hi {name}, so sorry about the delay. DM us your order number and we'll chase the carrier today."),
    _r(None, "Returns & exchanges", "return_refund", "en",
       "Hi {name}, you have 30 days for returns and size exchanges are free. We'll email you a label."),
    _r(HARBOR, "Shipping times", "shipping", "en",
       "Hi {name}! We ship in 4-7 business days (3-5 to the UK), free over $75. Tracking comes by email."),
    _r(HARBOR, "Thanks for the review (4-5★)", None, "en",
       "Thanks so much, {name}! So glad you love {product}.", min_rating=4),
    _r(HARBOR, "Sorry (1-2★)", None, "en",
       "Hi {name}, we're really sorry about your experience with {product}. We've emailed you to put it right.",
       max_rating=2),
)  # fmt: skip
