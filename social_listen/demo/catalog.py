"""The demo shops' world: brands, products (with regional Spanish names), regions, cities, carriers, people."""

from __future__ import annotations

from dataclasses import dataclass, field

LUNA = "Tienda Luna"
HARBOR = "Harbor & Pine"


@dataclass(frozen=True)
class Noun:
    """A Spanish noun with what agreement needs: gender (f/m) and number."""

    text: str
    gender: str
    plural: bool = False


@dataclass(frozen=True)
class Product:
    """A catalogue product: model name, Spanish noun (with regional variants) and English nouns."""

    key: str
    brand: str
    model: str
    kind: str  # shoe | clothing | accessory
    price: int
    noun: Noun
    regional: dict[str, Noun] = field(default_factory=dict)
    en_us: str = ""
    en_uk: str = ""
    plural_en: bool = False
    colors: tuple[str, ...] = ("negro", "blanco", "arena")

    def noun_for(self, region: str) -> Noun:
        """The noun people in ``region`` use for this product (campera in Argentina, chamarra in Mexico)."""
        if region in self.regional:
            return self.regional[region]
        if region == "UY" and "AR" in self.regional:
            return self.regional["AR"]
        return self.noun

    def english(self, region: str) -> str:
        """The English product name (trainers in the UK, sneakers in the US)."""
        base = self.en_uk if region in ("UK", "IE") and self.en_uk else self.en_us
        return f"{self.model} {base}"


def _p(
    key: str, brand: str, model: str, kind: str, price: int, noun: Noun, en: str, *, en_uk: str = "",
    regional: dict[str, Noun] | None = None, plural_en: bool = False, colors: tuple[str, ...] = ("negro", "blanco"),
) -> Product:  # fmt: skip
    return Product(key, brand, model, kind, price, noun, regional or {}, en, en_uk, plural_en, colors)


PRODUCTS: tuple[Product, ...] = (
    _p("aurora", LUNA, "Aurora", "shoe", 69, Noun("zapatillas", "f", True), "sneakers", plural_en=True,
       en_uk="trainers", regional={"MX": Noun("tenis", "m", True)}, colors=("blanco", "arena", "rosa palo")),
    _p("brisa", LUNA, "Brisa", "clothing", 89, Noun("chaqueta", "f"), "jacket",
       regional={"AR": Noun("campera", "f"), "MX": Noun("chamarra", "f")}, colors=("verde oliva", "negro", "camel")),
    _p("marea", LUNA, "Marea", "clothing", 59, Noun("vestido", "m"), "dress", colors=("azul marino", "terracota", "estampado")),
    _p("duna", LUNA, "Duna", "shoe", 95, Noun("botines", "m", True), "ankle boots", plural_en=True,
       regional={"MX": Noun("botas", "f", True)}, colors=("cuero", "negro", "taupe")),
    _p("coral", LUNA, "Coral", "shoe", 45, Noun("sandalias", "f", True), "sandals", plural_en=True, colors=("dorado", "coral", "nude")),
    _p("bruma", LUNA, "Bruma", "clothing", 49, Noun("jersey", "m"), "sweater", en_uk="jumper",
       regional={"AR": Noun("buzo", "m"), "MX": Noun("suéter", "m"), "CO": Noun("saco", "m")}, colors=("gris", "crudo", "mostaza")),
    _p("sol", LUNA, "Sol", "clothing", 39, Noun("camisa de lino", "f"), "linen shirt", colors=("blanco", "celeste", "arena")),
    _p("cometa", LUNA, "Cometa", "clothing", 55, Noun("pantalón", "m"), "trousers", plural_en=True, en_uk="trousers",
       colors=("negro", "beige", "verde")),
    _p("ola", LUNA, "Ola", "clothing", 42, Noun("falda", "f"), "skirt", regional={"AR": Noun("pollera", "f")},
       colors=("negro", "floral", "lila")),
    _p("niebla", LUNA, "Niebla", "clothing", 129, Noun("abrigo", "m"), "coat",
       regional={"AR": Noun("tapado", "m")}, colors=("camel", "gris", "negro")),
    _p("nube", LUNA, "Nube", "accessory", 35, Noun("mochila", "f"), "backpack", colors=("negro", "verde", "arena")),
    _p("alba", LUNA, "Alba", "accessory", 65, Noun("bolso", "m"), "bag", regional={"AR": Noun("cartera", "f")},
       colors=("marrón", "negro", "burdeos")),
    _p("rio", LUNA, "Río", "clothing", 59, Noun("vaqueros", "m", True), "jeans", plural_en=True,
       regional={"AR": Noun("jean", "m"), "MX": Noun("jeans", "m", True)}, colors=("azul claro", "azul oscuro", "negro")),
    _p("estrella", LUNA, "Estrella", "clothing", 19, Noun("camiseta", "f"), "tee",
       regional={"AR": Noun("remera", "f"), "MX": Noun("playera", "f")}, colors=("blanco", "negro", "rosa")),
    _p("faro", LUNA, "Faro", "shoe", 79, Noun("mocasines", "m", True), "loafers", plural_en=True, colors=("negro", "marrón", "burdeos")),
    _p("ridge", HARBOR, "Ridge", "shoe", 149, Noun("botas", "f", True), "boots", plural_en=True, colors=("café", "negro", "miel")),
    _p("drift", HARBOR, "Drift", "clothing", 64, Noun("sudadera", "f"), "hoodie",
       regional={"MX": Noun("sudadera", "f")}, colors=("gris", "verde bosque", "azul")),
    _p("cove", HARBOR, "Cove", "clothing", 58, Noun("camisa de lino", "f"), "linen shirt", colors=("blanco", "arena", "azul")),
    _p("summit", HARBOR, "Summit", "clothing", 189, Noun("parka", "f"), "parka", colors=("negro", "verde oliva", "naranja")),
    _p("tidal", HARBOR, "Tidal", "shoe", 89, Noun("tenis", "m", True), "sneakers", plural_en=True, en_uk="trainers",
       colors=("blanco", "azul marino", "gris")),
    _p("pine", HARBOR, "Pine", "clothing", 54, Noun("camisa de franela", "f"), "flannel shirt", colors=("rojo", "verde", "azul")),
)  # fmt: skip


def products_of(brand: str) -> list[Product]:
    """The brand's catalogue."""
    return [p for p in PRODUCTS if p.brand == brand]


@dataclass(frozen=True)
class Region:
    """Where a customer writes from: voice (tú/usted/vos/English), cities, carriers, ways to pay, sizes."""

    code: str
    voice: str
    timezone: str
    cities: tuple[str, ...]
    carriers: tuple[str, ...]
    payments: tuple[str, ...]
    shoe_sizes: tuple[str, ...]
    currency: str = "€"


REGIONS: dict[str, Region] = {
    "ES": Region("ES", "es_ES", "Europe/Madrid",
                 ("Madrid", "Sevilla", "Valencia", "Bilbao", "Zaragoza", "Málaga", "Vigo", "Murcia", "Palma",
                  "Las Palmas", "Salamanca", "Gijón", "Granada", "Alicante", "Pamplona", "Cádiz", "Tarragona"),
                 ("Correos", "SEUR", "MRW", "GLS", "Correos Express"), ("Bizum", "PayPal", "tarjeta", "transferencia"),
                 ("36", "37", "38", "39", "40", "41", "42", "43")),
    "MX": Region("MX", "es_MX", "America/Mexico_City",
                 ("Monterrey", "Guadalajara", "Puebla", "Querétaro", "Mérida", "CDMX", "Tijuana", "León", "Toluca",
                  "Morelia", "Oaxaca", "Saltillo", "Cancún"),
                 ("Estafeta", "DHL", "FedEx", "Paquetexpress"), ("OXXO", "tarjeta", "PayPal", "meses sin intereses"),
                 ("23", "23.5", "24", "24.5", "25", "25.5", "26", "27"), "MXN"),
    "AR": Region("AR", "es_AR", "America/Argentina/Buenos_Aires",
                 ("Rosario", "Córdoba", "Mendoza", "La Plata", "Mar del Plata", "CABA", "Tucumán", "Neuquén",
                  "Salta", "Bahía Blanca", "Santa Fe"),
                 ("Andreani", "Correo Argentino", "OCA"), ("Mercado Pago", "tarjeta en cuotas", "transferencia"),
                 ("35", "36", "37", "38", "39", "40", "41", "42"), "ARS"),
    "UY": Region("UY", "es_AR", "America/Montevideo",
                 ("Montevideo", "Salto", "Paysandú", "Maldonado", "Punta del Este", "Colonia"),
                 ("DAC", "UES", "Correo Uruguayo"), ("Mercado Pago", "tarjeta", "Abitab"),
                 ("35", "36", "37", "38", "39", "40", "41"), "UYU"),
    "CO": Region("CO", "es_usted", "America/Bogota",
                 ("Bogotá", "Medellín", "Cali", "Barranquilla", "Bucaramanga", "Pereira", "Cartagena"),
                 ("Servientrega", "Coordinadora", "Interrapidísimo"), ("PSE", "Nequi", "tarjeta de crédito"),
                 ("35", "36", "37", "38", "39", "40", "41"), "COP"),
    "PE": Region("PE", "es_usted", "America/Lima",
                 ("Lima", "Arequipa", "Trujillo", "Cusco", "Piura", "Chiclayo"),
                 ("Olva Courier", "Shalom", "Serpost"), ("Yape", "Plin", "tarjeta"),
                 ("35", "36", "37", "38", "39", "40", "41"), "PEN"),
    "EU": Region("EU", "es_usted", "Europe/Madrid",
                 ("Madrid", "Oviedo", "Valladolid", "Córdoba", "Burgos", "Toledo", "León", "Santander"),
                 ("Correos", "SEUR", "MRW"), ("tarjeta", "transferencia", "contra reembolso"),
                 ("36", "37", "38", "39", "40", "41", "42")),
    "US": Region("US", "en", "America/New_York",
                 ("Austin", "Chicago", "Miami", "Denver", "San Diego", "Portland", "Brooklyn", "Atlanta", "Seattle",
                  "Phoenix", "Boston", "Nashville"),
                 ("USPS", "UPS", "FedEx"), ("PayPal", "Apple Pay", "credit card", "Klarna"),
                 ("US 6", "US 7", "US 7.5", "US 8", "US 9", "US 10", "US 11"), "$"),
    "UK": Region("UK", "en", "Europe/London",
                 ("Manchester", "Leeds", "Bristol", "Glasgow", "Brighton", "Cardiff", "Liverpool", "London", "Dublin"),
                 ("Royal Mail", "DPD", "Evri"), ("PayPal", "Apple Pay", "card", "Klarna"),
                 ("UK 4", "UK 5", "UK 6", "UK 7", "UK 8", "UK 9"), "£"),
    "USES": Region("USES", "es_MX", "America/Chicago",
                   ("Houston", "Los Ángeles", "San Antonio", "El Paso", "Chicago", "Miami", "Phoenix", "Dallas"),
                   ("USPS", "UPS", "FedEx"), ("PayPal", "tarjeta", "Zelle"),
                   ("US 6", "US 7", "US 8", "US 9", "US 10"), "$"),
}  # fmt: skip

CLOTHING_SIZES = ("XS", "S", "M", "L", "XL")

# Where each brand's customers write from (weights).
REGION_MIX: dict[str, dict[str, float]] = {
    LUNA: {"ES": 40, "MX": 17, "AR": 13, "UY": 4, "CO": 6, "PE": 3, "EU": 5, "US": 7, "UK": 5},
    HARBOR: {"US": 60, "UK": 12, "USES": 20, "MX": 5, "ES": 3},
}

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "ES": ("María", "Carmen", "Laura", "Marta", "Paula", "Elena", "Sara", "Andrea", "Irene", "Nuria", "Rocío",
           "Pilar", "Alba", "Cristina", "Noelia", "Raquel", "Javier", "Sergio", "David", "Pablo", "Álvaro",
           "Jorge", "Raúl", "Iván", "Adrián", "Dani", "Marcos", "Rubén", "Manu", "Íñigo", "Aitana", "Leire"),
    "MX": ("Ximena", "Fernanda", "Daniela", "Guadalupe", "Itzel", "Mariana", "Valeria", "Alejandra", "Karla",
           "Paola", "Brenda", "Diego", "Emiliano", "Luis Ángel", "Jesús", "Juan Carlos", "Rodrigo", "Omar",
           "Alan", "Yareli", "Citlali", "Arturo"),
    "AR": ("Sofía", "Martina", "Camila", "Agustina", "Florencia", "Micaela", "Julieta", "Lucila", "Belén",
           "Facundo", "Matías", "Santiago", "Nicolás", "Tomás", "Joaquín", "Lautaro", "Franco", "Gonzalo", "Mora"),
    "UY": ("Valentina", "Natalia", "Jimena", "Victoria", "Bruno", "Sebastián", "Federico", "Rodrigo", "Inés"),
    "CO": ("Luz Marina", "Carolina", "Diana", "Ana María", "Gloria", "Yesenia", "Andrés", "Jhon", "Carlos Alberto",
           "Jairo", "Hernán", "Wilson"),
    "PE": ("Rosa", "Milagros", "Karina", "Giovanna", "Jorge Luis", "Percy", "Miguel Ángel", "Yolanda"),
    "EU": ("Mercedes", "Concepción", "Josefina", "Antonio", "Francisco", "Manuel", "Ángeles", "Fernando"),
    "US": ("Emily", "Jessica", "Ashley", "Sarah", "Megan", "Hannah", "Olivia", "Madison", "Kayla", "Jake",
           "Tyler", "Ryan", "Brandon", "Chris", "Josh", "Kevin", "Nicole", "Taylor"),
    "UK": ("Chloe", "Amy", "Sophie", "Rachel", "Lauren", "Harriet", "Tom", "Ben", "Liam", "Oliver", "Harry",
           "Callum", "Niamh", "Siobhan"),
    "USES": ("Yesenia", "Araceli", "Marisol", "Jennifer", "Stephanie", "Jose", "Luis", "Brian", "Adriana",
             "Erika", "Giselle"),
}  # fmt: skip

LAST_NAMES: dict[str, tuple[str, ...]] = {
    "ES": ("García", "Fernández", "López", "Martínez", "Sánchez", "Romero", "Navarro", "Torres", "Gil", "Serrano",
           "Molina", "Ortega", "Delgado", "Castro", "Morales", "Iglesias", "Vidal", "Prieto", "Cano", "Etxeberria"),
    "MX": ("Hernández", "González", "Ramírez", "Flores", "Cruz", "Reyes", "Jiménez", "Vázquez", "Rojas",
           "Mendoza", "Aguilar", "Guerrero", "Salazar", "Villalobos", "Treviño"),
    "AR": ("Fernández", "Rodríguez", "Gómez", "Sosa", "Acosta", "Benítez", "Medina", "Herrera", "Suárez",
           "Giménez", "Ferrari", "Rossi", "Bianchi", "Paz"),
    "UY": ("Pereira", "Silva", "Olivera", "Núñez", "Cabrera", "Techera", "De León", "Sosa"),
    "CO": ("Cárdenas", "Quintero", "Ospina", "Restrepo", "Vargas", "Castillo", "Londoño", "Mejía"),
    "PE": ("Quispe", "Mamani", "Huamán", "Flores", "Chávez", "Rojas", "Paredes"),
    "EU": ("Ruiz", "Moreno", "Muñoz", "Álvarez", "Blanco", "Rubio", "Marín"),
    "US": ("Smith", "Johnson", "Brown", "Miller", "Davis", "Wilson", "Anderson", "Moore", "Cooper", "Reed",
           "Bennett", "Parker", "Hayes"),
    "UK": ("Taylor", "Clarke", "Walker", "Wright", "Hughes", "Evans", "Patel", "Murphy", "Khan", "Robinson"),
    "USES": ("Garcia", "Martinez", "Lopez", "Gonzalez", "Rivera", "Ramos", "Ortiz", "Castillo"),
}  # fmt: skip

# Customers who buy a lot and write on several channels; tagged VIP in the store.
VIP_PEOPLE: tuple[tuple[str, str, str, tuple[str, ...], str], ...] = (
    ("Carmen Ruiz", "ES", LUNA, ("instagram", "facebook", "google_reviews", "woocommerce"),
     "Clienta desde 2021, 23 pedidos. Prefiere que la llamen; nunca devuelve por talla."),
    ("Valentina Sosa", "AR", LUNA, ("instagram", "facebook", "woocommerce", "youtube"),
     "Influencer de moda en Rosario (41k). Compra cada colección; ojo con el tono."),
    ("Ramón Villalobos", "MX", LUNA, ("facebook", "youtube", "x"),
     "Compra para su tienda en Monterrey (mayorista informal). Pide factura CFDI siempre."),
    ("Jessica Moore", "US", HARBOR, ("instagram", "x", "trustpilot", "google_reviews"),
     "Top customer since launch, 11 orders. Wrote a blog post about the Ridge boots."),
    ("Lucía Techera", "UY", LUNA, ("instagram", "x", "trustpilot"),
     "Clienta frecuente de Montevideo. Los envíos a UY le han fallado dos veces: priorizar."),
)  # fmt: skip

DAYS_ES = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
