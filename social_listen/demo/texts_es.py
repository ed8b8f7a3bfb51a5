"""Spanish customer messages, by intent and voice: es_ES (tú, vosotros), es_MX (tú, ustedes), es_AR (voseo,
also Uruguay) and es_usted (formal: Colombia, Perú, older customers in Spain). Written for this demo."""

from __future__ import annotations

BODIES: dict[str, dict[str, tuple[str, ...]]] = {
    "shipping": {
        "es_ES": (
            "¿Hacéis envíos a {ciudad}? Me he enamorado {del_prod} y no sé si llegáis hasta allí.",
            "¿Cuánto tarda el envío a {ciudad}? {Lo} quiero para {evento}.",
            "¿El envío es gratis a partir de algún importe? Tengo {el_prod} en el carrito desde ayer.",
            "¿Con qué empresa enviáis? Si es {transportista} prefiero recogerlo en un punto de recogida.",
            "Si pido {el_prod} hoy, ¿me llega{n} antes del {dia}? Es para {evento}.",
            "¿Se puede recoger el pedido en la tienda de Madrid o solo hacéis envío a domicilio?",
            "¿Enviáis a Canarias? En {ciudad} siempre nos cobran aduanas y no sé si con vosotros también.",
        ),
        "es_MX": (
            "¿Hacen envíos a {ciudad}? ¿Cuánto sale el envío?",
            "¿Cuántos días tarda en llegar a {ciudad}? Quiero {el_prod} para {evento}.",
            "¿Con qué paquetería mandan? ¿{transportista}? Es que a mi colonia no siempre entran.",
            "Hola, ¿el envío a {ciudad} tiene costo o es gratis arriba de cierto monto?",
            "¿Me llega{n} {el_prod} a {ciudad} antes del {dia}? Es para {evento}.",
            "¿Tienen que pagar impuestos de importación los envíos a México o ya va todo incluido?",
        ),
        "es_AR": (
            "¿Hacen envíos a {ciudad}? ¿Cuánto sale?",
            "Che, ¿me podés decir cuánto tarda el envío a {ciudad}? Necesito {el_prod} para {evento}.",
            "¿Mandan por {transportista} o por correo? Acá en {ciudad} {transportista} anda re bien.",
            "¿Tenés idea si llega antes del {dia} a {ciudad}? Lo necesito sí o sí.",
            "¿El envío a {ciudad} lo pago yo o está incluido? Quiero {el_prod} en {color}.",
            "¿Hay que pagar aduana si me lo mandan a {ciudad}? No quiero sorpresas cuando llegue.",
        ),
        "es_usted": (
            "Quisiera saber si realizan envíos a {ciudad} y cuál es el costo.",
            "¿Me podría indicar cuántos días hábiles tarda un envío a {ciudad}?",
            "Quisiera saber con qué empresa de mensajería trabajan. ¿Envían con {transportista}?",
            "Estoy interesada en {el_prod}. ¿El envío a {ciudad} tiene algún recargo?",
            "¿Sería posible recibir el pedido antes del {dia}? Lo necesito para {evento}.",
        ),
    },
    "not_received": {
        "es_ES": (
            "Mi pedido {pedido} no ha llegado y ya han pasado {dias} días. ¿Alguien me puede decir algo?",
            "Hice un pedido hace {dias} días ({el_prod}) y el seguimiento de {transportista} lleva parado desde el {dia}.",
            "El pedido {pedido} pone «entregado» pero aquí no ha llegado nada. Estoy flipando.",
            "Llevo {dias} días esperando {el_prod}. Pagué envío urgente para nada.",
            "Mi pedido no llegó. {transportista} dice que la dirección es incorrecta y es la misma de siempre.",
            "¿Dónde está mi pedido? {dias} días y el enlace de seguimiento ni carga.",
        ),
        "es_MX": (
            "Mi pedido {pedido} no ha llegado, ya van {dias} días. ¿Me pueden checar qué pasó?",
            "Compré {el_prod} hace {dias} días y la guía de {transportista} no se mueve.",
            "Dice entregado pero no me llegó nada, ¿qué onda? Pedido {pedido}.",
            "Ya van {dias} días y nada de mi paquete, ¿me pueden apoyar por favor?",
            "Mi pedido no llegó y en {transportista} me dicen que ustedes nunca lo mandaron.",
        ),
        "es_AR": (
            "Mi pedido no llegó y ya pasaron {dias} días. ¿Me podés decir qué pasa?",
            "Compré {el_prod} hace {dias} días y el seguimiento de {transportista} no se mueve, che.",
            "Figura entregado pero no me llegó nada. ¿Cómo es esto? Pedido {pedido}.",
            "Pedido {pedido}: {dias} días esperando. Pagué con {pago} y nada de nada.",
            "Me dijeron que llegaba el {dia} y acá estoy, esperando. ¿Me podés fijar dónde está?",
        ),
        "es_usted": (
            "Realicé el pedido {pedido} hace {dias} días y todavía no lo he recibido. Le agradecería información.",
            "Mi pedido aún no llega. ¿Podría indicarme en qué estado se encuentra?",
            "Según {transportista} el paquete fue entregado, pero no lo he recibido.",
            "Hace {dias} días pagué con {pago} {el_prod} y no tengo noticias del envío.",
        ),
    },
    "no_response": {
        "es_ES": (
            "Os he escrito tres veces por aquí y por email y nadie responde. ¿Hay alguien?",
            "¿Alguien lee los mensajes? Llevo {dias} días sin respuesta sobre el pedido {pedido}.",
            "Nadie responde ni al teléfono ni al correo. Muy mal, de verdad.",
            "Os mandé un privado el {dia} con lo {del_prod} y ni lo habéis leído.",
        ),
        "es_MX": (
            "Nadie responde los mensajes, ya les escribí por inbox y por correo.",
            "¿Hay alguien ahí? Llevo {dias} días esperando respuesta de mi pedido {pedido}.",
            "Les mandé DM desde el {dia} y nada. ¿Así atienden?",
        ),
        "es_AR": (
            "Nadie responde, les escribí por todos lados. ¿Alguien me puede contestar?",
            "Che, ¿hay alguien del otro lado? Hace {dias} días que escribo y nada.",
            "Te mandé privado el {dia} y ni lo viste. Necesito una respuesta por {el_prod}.",
        ),
        "es_usted": (
            "He enviado varios correos y nadie responde. Espero una pronta respuesta.",
            "Llevo {dias} días intentando comunicarme con ustedes sin éxito.",
            "Disculpe, ¿alguien atiende este canal? Escribí el {dia} y no he tenido respuesta.",
        ),
    },
    "return_refund": {
        "es_ES": (
            "¿Cómo hago la devolución {del_prod}? Me {queda} {grande} y quiero probar una {talla2}.",
            "Quiero devolver {el_prod}, ¿la devolución es gratis o la pago yo?",
            "Devolví {el_prod} hace {dias} días y todavía no me habéis hecho el reembolso.",
            "¿Puedo cambiar{lo} por una talla {talla2} en vez de devolver{lo}?",
            "Me habéis devuelto solo una parte del dinero, faltan los gastos de envío.",
        ),
        "es_MX": (
            "¿Cómo hago el cambio de talla? {El_prod} me {quedo} {chico}.",
            "Ya regresé {el_prod} y no me han hecho el reembolso, van {dias} días.",
            "¿La devolución tiene costo? Quiero regresar {el_prod}, no me convenció el color.",
            "Pedí {el_prod} en {color} y se ve{n} distint{o} a la foto. ¿Puedo cambiar{lo} por otro color?",
        ),
        "es_AR": (
            "¿Cómo hago para devolver {el_prod}? Me {quedo} {chico}.",
            "Devolví {el_prod} hace {dias} días y la plata no aparece. ¿Me podés fijar?",
            "¿Puedo cambiar{lo} por un talle {talla2}? {El_prod} me {queda} just{o}.",
            "Quiero hacer el cambio pero el formulario de la web no me anda.",
        ),
        "es_usted": (
            "Quisiera solicitar la devolución {del_prod}. ¿Cuál es el procedimiento?",
            "Hace {dias} días devolví {el_prod} y aún no se ha reflejado el reembolso.",
            "¿Sería posible cambiar {el_prod} por una talla {talla2}? Le agradezco.",
        ),
    },
    "payment": {
        "es_ES": (
            "¿Se puede pagar con Bizum? No me aparece la opción al final del carrito.",
            "Me habéis cobrado dos veces el pedido {pedido}, ¿me lo podéis revisar?",
            "Al pagar con tarjeta me da error y al final no sé si se ha hecho el pedido o no.",
            "¿Aceptáis pago a plazos? {El_prod} cuesta{n} {precio} y prefiero fraccionarlo.",
        ),
        "es_MX": (
            "¿Aceptan pago en OXXO? No tengo tarjeta.",
            "¿Tienen meses sin intereses? Quiero {el_prod}.",
            "Me hicieron dos cargos a mi tarjeta por el mismo pedido.",
            "Pagué en OXXO hace {dias} días y mi pedido sigue como pendiente de pago.",
        ),
        "es_AR": (
            "¿Puedo pagar con Mercado Pago en cuotas?",
            "Me cobraron dos veces el pedido {pedido}, ¿me podés fijar?",
            "¿Aceptan transferencia? ¿Hay descuento si pago así?",
            "Quise pagar con {pago} y me rebotó tres veces. ¿Les pasa a todos?",
        ),
        "es_usted": (
            "¿Aceptan pago contra entrega?",
            "Se me realizó un doble cobro por el pedido {pedido}. Agradezco su revisión.",
            "¿Es posible pagar por {pago}? No encuentro la opción en la página.",
        ),
    },
    "size_fit": {
        "es_ES": (
            "¿Qué talla me recomendáis? Normalmente uso la {talla} pero dicen que {el_prod} talla{n} pequeño.",
            "¿{El_prod} talla{n} grande o normal? Uso la {talla}.",
            "Mido 1,{altura} y peso {peso} kg, ¿qué talla {del_prod} me pillo?",
            "Entre la {talla} y la {talla2} {del_prod}, ¿cuál elegiríais {ancho}?",
        ),
        "es_MX": (
            "¿Qué talla me recomiendan? Normalmente uso {talla}.",
            "¿{El_prod} viene{n} en talla normal o chica? Normalmente soy {talla}.",
            "Mido 1.{altura} y peso {peso} kilos, ¿qué talla {del_prod} me queda?",
            "¿Tienen tabla de medidas {del_prod}? No sé si pedir {talla} o {talla2}.",
        ),
        "es_AR": (
            "¿Qué talle me recomendás? Uso {talla} en casi todo.",
            "¿{El_prod} viene{n} chic{o} de talle? Soy {talla} pero a veces {talla2}.",
            "Mido 1,{altura} y peso {peso}, ¿qué talle {del_prod} me conviene?",
            "Che, ¿{el_prod} talla{n} como en la tabla o conviene pedir uno más?",
        ),
        "es_usted": (
            "¿Podría indicarme la guía de tallas {del_prod}?",
            "Normalmente uso talla {talla}. ¿Me recomienda la misma en {el_prod}?",
            "Mido 1,{altura} y peso {peso} kilos. ¿Qué talla me aconseja?",
        ),
    },
    "stock": {
        "es_ES": (
            "¿Vais a reponer {el_prod} en {color} talla {talla}?",
            "¿Cuándo vuelve{n} {el_prod}? Llevo {semanas} semanas mirando la web a diario.",
            "En la web pone agotado en la {talla}, ¿queda alguna en la tienda física?",
            "¿{El_prod} en {color} ya no {lo} vais a sacar más? Qué pena.",
        ),
        "es_MX": (
            "¿Van a volver a tener {el_prod} en {color}?",
            "¿Tienen {el_prod} en talla {talla}? En la página sale agotado.",
            "¿Cuándo resurten {el_prod}? Ya me apunté al aviso y nada.",
        ),
        "es_AR": (
            "¿Tenés {el_prod} en {color} talle {talla}?",
            "¿Cuándo entran de nuevo {el_prod}? Me quedé con las ganas.",
            "¿Queda{n} {el_prod} en {talla}? En la web figura sin stock.",
        ),
        "es_usted": (
            "¿Tendrán disponibilidad {del_prod} en color {color}?",
            "Quisiera saber si volverán a tener {el_prod} en talla {talla}.",
        ),
    },
    "invoice": {
        "es_ES": (
            "Necesito factura a nombre de mi empresa con el CIF, ¿cómo la pido?",
            "¿Dónde descargo la factura del pedido {pedido}? Solo me llegó el ticket.",
            "La factura sale sin mi NIF y la necesito para la gestoría. ¿Me la podéis rehacer?",
        ),
        "es_MX": (
            "¿Me pueden facturar? Necesito CFDI con mi RFC.",
            "Ya mandé mis datos fiscales y no me llega la factura del pedido {pedido}.",
            "¿Hasta cuándo puedo pedir la factura? Compré el {dia} {el_prod}.",
        ),
        "es_AR": (
            "¿Hacen factura A? Soy monotributista.",
            "Necesito la factura del pedido {pedido}, ¿me la podés mandar por mail?",
        ),
        "es_usted": (
            "Le solicito amablemente la factura electrónica del pedido {pedido}.",
            "¿Podrían emitir la factura a nombre de mi empresa? Le envío los datos por correo.",
        ),
    },
    "discount": {
        "es_ES": (
            "¿Tenéis algún código de descuento para primera compra?",
            "El código {codigo} no me funciona, dice que está caducado.",
            "¿Entra{n} {el_prod} en las rebajas o no?",
            "Compré {el_prod} el {dia} y hoy están un 30 % más baratos. ¿Me devolvéis la diferencia?",
        ),
        "es_MX": (
            "¿Tienen algún cupón? Quiero {el_prod}.",
            "El código {codigo} no me aplica en el carrito.",
            "¿Va a haber Hot Sale este año? Estoy esperando para comprar {el_prod}.",
        ),
        "es_AR": (
            "¿Tienen algún descuento pagando con transferencia?",
            "El código {codigo} no me anda. ¿Me pasás otro?",
            "¿Hacen algo para el Cyber Monday? Tengo {el_prod} en el carrito hace días.",
        ),
        "es_usted": (
            "¿Cuentan con algún descuento para clientes frecuentes?",
            "Intenté usar el código {codigo} pero me indica que no es válido.",
        ),
    },
    "praise": {
        "es_ES": (
            "¡Me {llego} {el_prod} y {es} precios{o}! Encima en {dias} días a {ciudad}.",
            "Es la tercera vez que compro y siempre genial. {El_prod} en {color}, un 10.",
            "Qué rapidez: pedí el {dia} y al día siguiente ya {lo} tenía en casa.",
            "{El_prod} {es} comodísim{o}, {lo} llevo todo el día y ni me acuerdo.",
            "Me encanta{n} {el_prod}, me han preguntado tres personas de dónde {es}.",
            "Qué bien empaquetado venía todo, hasta con una notita escrita a mano. Sois unos cracks.",
        ),
        "es_MX": (
            "¡{El_prod} {esta} padrísim{o}! Me {llego} rapidísimo a {ciudad}.",
            "Me {encanto} {el_prod}, la calidad está increíble para el precio.",
            "Ya es mi segunda compra y todo perfecto. {El_prod} en {color} se ve bien bonito.",
            "Súper rápido el envío y bien empacado. ¡Gracias!",
            "Me {llego} {el_prod} y {es} justo como en las fotos, me {queda} perfect{o}.",
        ),
        "es_AR": (
            "Me {llego} {el_prod} y {es} re lind{o}. Posta, la calidad es increíble.",
            "Ta, llegó todo perfecto a {ciudad}. ¡Gracias!",
            "{El_prod} en {color} {es} lo más. Ya quiero otro color.",
            "La verdad que súper rápido el envío a {ciudad}, y {el_prod} me {queda} bárbaro.",
            "Amo {el_prod}, no me l{o} saco más. Gracias por la notita en el paquete.",
        ),
        "es_usted": (
            "Muy satisfecha con la compra. {El_prod} {llego} en perfecto estado.",
            "Excelente atención y muy buena calidad {del_prod}. Los recomiendo.",
            "Recibí mi pedido en {dias} días en {ciudad}. Todo muy bien presentado, gracias.",
        ),
    },
    "defective": {
        "es_ES": (
            "{El_prod} {vino} con {defecto}. ¿Qué hago?",
            "A las dos semanas {el_prod} ya tenía{n} {defecto}. No es normal por {precio}.",
            "Me ha llegado {el_prod} con {defecto} y era un regalo. Qué vergüenza.",
            "Primer día que me pongo {el_prod} y ya tiene{n} {defecto}. Quiero una solución.",
        ),
        "es_MX": (
            "{El_prod} me {llego} con {defecto}, ¿me l{o} pueden cambiar?",
            "A la semana de usar {el_prod} ya tenía{n} {defecto}. Qué mala calidad.",
            "Me llegó el pedido y {el_prod} trae{n} {defecto}. ¿Cómo hago el cambio?",
        ),
        "es_AR": (
            "{El_prod} {vino} con {defecto}. ¿Me l{o} cambian?",
            "Usé dos veces {el_prod} y ya tiene{n} {defecto}. Una lástima.",
            "Che, me llegó {el_prod} con {defecto}, ¿qué hago? Te paso fotos por privado.",
        ),
        "es_usted": (
            "Lamentablemente {el_prod} presenta{n} {defecto}. Solicito el cambio.",
            "Recibí {el_prod} con {defecto}. ¿Cómo procedo con la garantía?",
        ),
    },
    "sarcasm": {
        "es_ES": (
            "Genial, {dias} días esperando {el_prod}. Seguro que llega{n} para el verano que viene.",
            "Gracias por responder tan rápido... ah, no, que no respondéis.",
            "Atención al cliente de diez: ni contestan ni cogen el teléfono.",
            "Qué maravilla pagar envío urgente para que tarde {dias} días. Bravo.",
        ),
        "es_MX": (
            "Qué buen servicio, ya van {dias} días y ni sus luces del paquete.",
            "Gracias por la rapidez... en cobrar. Porque en enviar, ni cómo.",
            "Ah, mira, el paquete ya lleva más viajes que yo este año.",
        ),
        "es_AR": (
            "Excelente la atención, eh. {dias} días sin respuesta. Aplausos.",
            "Buenísimo, {el_prod} está{n} de vacaciones en {ciudad} y yo acá esperando.",
            "Re rápido el envío: {semanas} semanas. Un récord, chicos.",
        ),
        "es_usted": (
            "Magnífico servicio: {dias} días esperando y ni una sola respuesta.",
            "Muy eficientes para cobrar, no tanto para enviar.",
        ),
    },
    "question": {
        "es_ES": (
            "¿{El_prod} se puede{n} meter en la lavadora o mejor a mano?",
            "¿De qué material {es} {el_prod}? Parece{n} de lino pero no lo pone.",
            "¿Dónde fabricáis {el_prod}? Me importa mucho que sea producción local.",
            "¿El {color} {del_prod} es más claro que en la foto?",
        ),
        "es_MX": (
            "¿{El_prod} se puede{n} lavar en lavadora?",
            "¿De qué material {es} {el_prod}? ¿Es material vegano?",
            "¿El color {color} se ve igual que en la foto o cambia?",
        ),
        "es_AR": (
            "¿{El_prod} se puede{n} lavar en el lavarropas?",
            "¿De qué tela {es} {el_prod}? ¿Abriga{n} o {es} finit{o}?",
            "¿El {color} es más oscuro en persona? En la foto se ve re claro.",
        ),
        "es_usted": (
            "¿Podría indicarme la composición {del_prod}?",
            "¿Qué cuidados requiere {el_prod}? Quisiera que me dure.",
        ),
    },
}
