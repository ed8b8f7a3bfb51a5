"""Values for the text templates' {slots}: product names with Spanish agreement, sizes, cities, orders."""

from __future__ import annotations

import random
from collections.abc import Callable

from social_listen.demo.catalog import CLOTHING_SIZES, DAYS_EN, DAYS_ES, LUNA, REGIONS, Noun, Product

COLORS_EN = {
    "negro": "black", "blanco": "white", "arena": "sand", "rosa palo": "dusty pink", "verde oliva": "olive",
    "camel": "camel", "azul marino": "navy", "terracota": "terracotta", "estampado": "print", "cuero": "tan",
    "taupe": "taupe", "dorado": "gold", "coral": "coral", "nude": "nude", "gris": "grey", "crudo": "ecru",
    "mostaza": "mustard", "celeste": "sky blue", "beige": "beige", "verde": "green", "floral": "floral",
    "lila": "lilac", "marrón": "brown", "burdeos": "burgundy", "azul claro": "light wash", "azul oscuro": "dark wash",
    "rosa": "pink", "café": "brown", "miel": "honey", "verde bosque": "forest green", "azul": "blue",
    "naranja": "orange", "rojo": "red",
}  # fmt: skip

DEFECTS_ES = {
    "shoe": ("la suela despegada", "una costura abierta en el talón", "el pegamento asomando por todos lados",
             "una plantilla suelta", "un roce feo en la puntera", "los cordones deshilachados"),
    "clothing": ("un descosido en la manga", "una mancha que no sale", "la cremallera rota", "un botón menos",
                 "un agujerito en el costado", "el dobladillo descosido", "el color desteñido tras un lavado"),
    "accessory": ("el asa rota", "la cremallera atascada", "la hebilla suelta", "un arañazo en la piel",
                  "el forro roto por dentro"),
}  # fmt: skip

DEFECTS_EN = {
    "shoe": ("the sole coming away", "a split seam at the heel", "glue showing everywhere", "a loose insole",
             "a scuff on the toe"),
    "clothing": ("a torn seam on the sleeve", "a stain that won't wash out", "a broken zip", "a missing button",
                 "a small hole near the hem", "the colour running after one wash"),
    "accessory": ("a broken strap", "a stuck zip", "a loose buckle", "a scratch on the leather"),
}  # fmt: skip

MATERIALS_ES = {"clothing": "algodón orgánico y lino europeo", "shoe": "piel curtida sin cromo y suela de caucho natural",
                "accessory": "piel de curtido vegetal y forro de algodón reciclado"}  # fmt: skip
MATERIALS_EN = {"clothing": "organic cotton and European linen", "shoe": "chrome-free leather with a natural rubber sole",
                "accessory": "plant-tanned leather with a recycled cotton lining"}  # fmt: skip

EVENTS_ES = {
    "ES": ("una boda el sábado", "el cumple de mi madre", "las vacaciones", "una comunión", "Reyes",
           "una entrevista de trabajo", "la cena de empresa", "el viaje a Lisboa"),
    "MX": ("una boda el sábado", "el Día de las Madres", "mi graduación", "unos XV años", "las vacaciones",
           "el cumpleaños de mi hermana", "una posada"),
    "AR": ("un casamiento el sábado", "mi cumple", "las vacaciones", "la fiesta de egresados", "el Día de la Madre",
           "un viaje a Bariloche"),
    "usted": ("un matrimonio", "el cumpleaños de mi hija", "un viaje", "una reunión de trabajo", "una ceremonia"),
}  # fmt: skip

EVENTS_EN = ("a wedding on Saturday", "my sister's birthday", "a trip to Lisbon", "a job interview", "graduation",
             "a festival next weekend", "my anniversary dinner")  # fmt: skip

CODES = {LUNA: ("LUNA10", "BIENVENIDA15", "SEMANALUNA", "MAREA15", "HOLA10", "VERANO20", "AMIGA5"),
         "other": ("HARBOR10", "WELCOME15", "PINE20", "FIRSTFLEECE", "TRAILS15")}  # fmt: skip


def _agree(stem: str, noun: Noun) -> str:
    """A regular adjective agreeing with the noun: rot + o -> rota, rotos, rotas."""
    ending = "a" if noun.gender == "f" else "o"
    return stem + ending + ("s" if noun.plural else "")


def _article(noun: Noun, definite: bool = True) -> str:
    table = {("f", False): "la", ("f", True): "las", ("m", False): "el", ("m", True): "los"}
    if definite:
        return table[(noun.gender, noun.plural)]
    return {("f", False): "una", ("f", True): "unas", ("m", False): "un", ("m", True): "unos"}[
        (noun.gender, noun.plural)
    ]


_NAMED: dict[tuple[str, str, str], dict[str, str]] = {}


def product_slots(product: Product, region: str, english: bool) -> dict[str, str]:
    """The product's naming slots for a writer from ``region`` (computed once per product and region)."""
    key = (product.key, region, "en" if english else "es")
    if key not in _NAMED:
        _NAMED[key] = english_product(product, region) if english else spanish_product(product, region)
    return _NAMED[key]


def spanish_product(product: Product, region: str) -> dict[str, str]:
    """Slots naming the product the way someone from ``region`` would, with agreement helpers."""
    noun = product.noun_for(region)
    prod = f"{noun.text} {product.model}"
    article = _article(noun)
    pl = noun.plural
    el_prod = f"{article} {prod}"
    del_prod = f"del {prod}" if article == "el" else f"de {el_prod}"
    return {
        "prod": prod, "el_prod": el_prod, "El_prod": el_prod[0].upper() + el_prod[1:], "del_prod": del_prod,
        "al_prod": f"al {prod}" if article == "el" else f"a {el_prod}", "un_prod": f"{_article(noun, False)} {prod}",
        "modelo": product.model, "lo": {"la": "la", "las": "las", "el": "lo", "los": "los"}[article],
        "Lo": {"la": "La", "las": "Las", "el": "Lo", "los": "Los"}[article],
        "o": _agree("", noun), "s": "s" if pl else "", "n": "n" if pl else "", "es": "son" if pl else "es",
        "esta": "están" if pl else "está", "queda": "quedan" if pl else "queda",
        "quedo": "quedaron" if pl else "quedó", "llego": "llegaron" if pl else "llegó",
        "vino": "vinieron" if pl else "vino", "encanto": "encantaron" if pl else "encantó", "tiene": "tienen" if pl else "tiene",
        "chico": _agree("pequeñ" if region in ("ES", "EU") else "chic", noun), "grande": "grandes" if pl else "grande",
    }  # fmt: skip


def english_product(product: Product, region: str) -> dict[str, str]:
    """Slots naming the product in English (US or UK words)."""
    prod = product.english(region)
    plural = product.plural_en
    return {
        "prod": prod, "the_prod": f"the {prod}", "The_prod": f"The {prod}", "modelo": product.model,
        "it": "them" if plural else "it", "they": "they" if plural else "it", "It": "They" if plural else "It", "is": "are" if plural else "is",
        "was": "were" if plural else "was", "fits": "fit" if plural else "fits",
        "runs": "run" if plural else "runs",
    }  # fmt: skip


def order_number(rng: random.Random, brand: str, english: bool = False) -> str:
    """An order number the way customers type it."""
    number = rng.randint(18000, 58999)
    prefix = "LN" if brand == LUNA else "HP"
    styles = (f"#{number}", f"{prefix}-{number}", f"#{prefix}{number}", f"{number}")
    return rng.choice(styles if english else (*styles, f"nº {number}"))


def size_for(rng: random.Random, product: Product, region: str) -> tuple[str, str]:
    """A size and a neighbouring one (shoes by the region's system, clothes XS-XL)."""
    sizes = REGIONS[region].shoe_sizes if product.kind == "shoe" else CLOTHING_SIZES
    index = rng.randrange(len(sizes))
    other = index + 1 if index + 1 < len(sizes) and (index == 0 or rng.random() < 0.5) else index - 1
    return sizes[index], sizes[max(other, 0)]


class Slots(dict[str, str]):
    """Slot values drawn only when a template asks for them (a text uses a few of the thirty slots)."""

    def __init__(self, fixed: dict[str, str], draw: dict[str, Callable[[], str]]) -> None:
        super().__init__(fixed)
        self.draw = draw

    def __missing__(self, key: str) -> str:
        value = self.draw[key]()  # KeyError for a slot no bank defines: a typo in a template
        self[key] = value
        return value


def details(
    rng: random.Random, product: Product, region_code: str, brand: str
) -> dict[str, Callable[[], str]]:
    """Everything else a message may mention: size, colour, days waited, city, carrier, payment, code."""
    region = REGIONS[region_code]
    english = region.voice == "en"
    defects = (DEFECTS_EN if english else DEFECTS_ES)[product.kind]
    event_key = (
        region_code if region_code in ("ES", "MX", "AR") else ("AR" if region_code == "UY" else "usted")
    )
    sizes: list[tuple[str, str]] = []

    def size(which: int) -> str:
        if not sizes:
            sizes.append(size_for(rng, product, region_code))
        return sizes[0][which]

    def color() -> str:
        value = rng.choice(product.colors)
        return COLORS_EN.get(value, value) if english else value

    return {
        "talla": lambda: size(0), "talla2": lambda: size(1), "size": lambda: size(0), "size2": lambda: size(1),
        "color": color, "dias": lambda: str(rng.choice((3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 17, 20, 22))),
        "semanas": lambda: str(rng.randint(2, 5)), "pedido": lambda: order_number(rng, brand, english),
        "ciudad": lambda: rng.choice(region.cities), "pago": lambda: rng.choice(region.payments),
        "transportista": lambda: rng.choice(region.carriers), "precio": lambda: _price(product, region.currency),
        "codigo": lambda: rng.choice(CODES[LUNA if brand == LUNA else "other"]),
        "dia": lambda: rng.choice(DAYS_EN if english else DAYS_ES), "defecto": lambda: rng.choice(defects),
        "evento": lambda: rng.choice(EVENTS_EN if english else EVENTS_ES[event_key]),
        "ancho": lambda: "si tengo el pie ancho" if product.kind == "shoe" else "si tengo la espalda ancha",
        "wide": lambda: "for wide feet" if product.kind == "shoe" else "for broad shoulders",
        "altura": lambda: str(rng.randint(52, 84)), "peso": lambda: str(rng.randint(48, 92)),
        "feet": lambda: f"5'{rng.randint(1, 11)}", "material": lambda: (MATERIALS_EN if english else MATERIALS_ES)[product.kind],
    }  # fmt: skip


def _price(product: Product, currency: str) -> str:
    rates = {"€": 1, "£": 1, "$": 1, "MXN": 21, "ARS": 1100, "UYU": 43, "COP": 4300, "PEN": 4}
    amount = product.price * rates.get(currency, 1)
    if currency in ("€",):
        return f"{amount} €"
    if currency in ("£", "$"):
        return f"{currency}{amount}"
    return f"${amount:,}".replace(",", ".") + f" {currency}"
