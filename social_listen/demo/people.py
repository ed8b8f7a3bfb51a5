"""Platform-looking ids and the customers who write: names, handles, regions, VIPs, per-platform authors."""

from __future__ import annotations

import random
import string
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from itertools import accumulate

from social_listen.demo.catalog import FIRST_NAMES, LAST_NAMES, REGION_MIX, REGIONS, VIP_PEOPLE
from social_listen.model import Author, content_id

_B64 = string.ascii_letters + string.digits + "-_"
_ALNUM = string.ascii_letters + string.digits
_TWITTER_EPOCH_MS = 1288834974657
SPAMMERS = (("Gana", "Desde Casa"), ("Crypto", "Mentor Ana"), ("Promo", "Seguidores"), ("Lujo", "Outlet"),
            ("Sofi", "Collabs"), ("Quick", "Cash"), ("Follow", "Boost"), ("Sorteos", "Oficial"))  # fmt: skip


_MIX = {brand: (list(mix), list(accumulate(mix.values()))) for brand, mix in REGION_MIX.items()}


class IdMaker:
    """Fresh ids in each platform's format (never the same twice in one build)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()
        self.counters: dict[str, int] = {}

    def _fresh(self, make: str) -> str:
        value = make
        while value in self.used:
            value = value[:-4] + self.chars(4, _ALNUM)
        self.used.add(value)
        return value

    def chars(self, size: int, alphabet: str = _B64) -> str:
        """``size`` random characters of ``alphabet``."""
        return "".join(self.rng.choices(alphabet, k=size))

    def digits(self, size: int, first: str = "1") -> str:
        """A numeric id of ``size`` digits starting with ``first``."""
        return self._fresh(first + "".join(self.rng.choices(string.digits, k=size - len(first))))

    def youtube_comment(self) -> str:
        """A top-level comment id like ``UgzX...4AaABAg``."""
        return self._fresh("Ug" + self.rng.choice("wxyz") + self.chars(17, _ALNUM) + "4AaABAg")

    def youtube_reply(self, parent: str) -> str:
        """A reply id: the parent's id, a dot, and 22 more characters."""
        return self._fresh(f"{parent}.{self.chars(22, _ALNUM)}")

    def youtube_channel(self) -> str:
        """A channel id ``UC`` + 22 characters."""
        return self._fresh("UC" + self.chars(22))

    def youtube_video(self) -> str:
        """An 11-character video id."""
        return self._fresh(self.chars(11))

    def tweet(self, at: datetime) -> str:
        """A snowflake id for a post made at ``at`` (ids grow with time, as on X)."""
        ms = int(at.timestamp() * 1000) - _TWITTER_EPOCH_MS
        return self._fresh(str((ms << 22) | self.rng.getrandbits(22)))

    def hex(self, size: int = 24) -> str:
        """A lowercase hex id (Trustpilot ids are 24 hex characters)."""
        return self._fresh(self.chars(size, "0123456789abcdef"))

    def google_review(self) -> str:
        """A Google Business Profile review id."""
        return self._fresh("AbFvOq" + self.chars(34, _ALNUM))

    def next(self, name: str, start: int) -> int:
        """The next number of a per-site counter (WordPress comment ids, form tickets)."""
        value = self.counters.get(name, start) + self.rng.randint(1, 4)
        self.counters[name] = value
        return value


def slug(text: str) -> str:
    """ASCII lowercase without accents or spaces: ``María José`` -> ``mariajose``."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


@dataclass(frozen=True)
class Person:
    """A customer: where they write from, how they talk, and the handle they use everywhere."""

    key: int
    first: str
    last: str
    region: str
    voice: str
    handle: str
    brand: str
    vip_note: str = ""
    vip_platforms: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """First and last name."""
        return f"{self.first} {self.last}"

    @property
    def language(self) -> str:
        """``en`` or ``es``."""
        return "en" if self.voice == "en" else "es"

    @property
    def short(self) -> str:
        """``Marta N.`` as review sites show names."""
        return f"{self.first} {self.last[0]}."


class People:
    """Creates customers as the story needs them; some come back, VIPs write on several channels."""

    def __init__(self, rng: random.Random, ids: IdMaker) -> None:
        self.rng = rng
        self.ids = ids
        self.pools: dict[str, list[Person]] = {}
        self.authors: dict[tuple[int, str], Author] = {}
        self.handles: set[str] = set()
        self.spam_count = 0
        self.vips = [self._vip(index, spec) for index, spec in enumerate(VIP_PEOPLE)]

    def _vip(self, index: int, spec: tuple[str, str, str, tuple[str, ...], str]) -> Person:
        name, region, brand, platforms, note = spec
        first, last = name.split(" ", 1)
        voice = REGIONS[region].voice
        return Person(
            -1 - index, first, last, region, voice, self._handle(first, last), brand, note, platforms
        )

    def pick(self, brand: str) -> Person:
        """A customer of ``brand``: often someone new, sometimes a regular."""
        pool = self.pools.setdefault(brand, [])
        if len(pool) > 20 and self.rng.random() < 0.2:
            return self.rng.choice(pool[: max(40, len(pool) // 5)])
        person = self._new(brand, len(pool))
        pool.append(person)
        return person

    def spammer(self, brand: str, language: str) -> Person:
        """A throwaway spam account (a new one each time, as spammers rotate accounts)."""
        first, last = self.rng.choice(SPAMMERS)
        self.spam_count += 1
        region, voice = ("US", "en") if language == "en" else ("ES", "es_ES")
        return Person(-1000 - self.spam_count, first, last, region, voice, self._handle(first, last), brand)

    def _new(self, brand: str, number: int) -> Person:
        regions, cumulative = _MIX[brand]
        region = self.rng.choices(regions, cum_weights=cumulative)[0]
        voice = REGIONS[region].voice
        if region in ("ES", "MX") and self.rng.random() < 0.08:
            voice = "es_usted"
        first = self.rng.choice(FIRST_NAMES[region])
        last = self.rng.choice(LAST_NAMES[region])
        key = number * 10 + (1 if brand.startswith("T") else 2)
        return Person(key, first, last, region, voice, self._handle(first, last), brand)

    def _handle(self, first: str, last: str) -> str:
        a, b = slug(first), slug(last)
        number = str(self.rng.randint(1, 99))
        pattern = self.rng.randrange(6)
        handle = [f"{a}.{b}", f"{a}_{b}{number}", f"{a}{b[:3]}", f"{a}{number}", f"{a}.{b[:4]}", f"{b}.{a}"][
            pattern
        ]
        while handle in self.handles:  # one handle, one person: authors are keyed by it on some platforms
            handle += str(self.rng.randint(0, 9))
        self.handles.add(handle)
        return handle

    def author(self, person: Person, platform: str, site: str = "") -> Author:
        """The person's account on ``platform`` (created the first time it is needed); ``site`` namespaces
        the names that comment forms and review sites use instead of an account id."""
        key = (person.key, platform)
        if key not in self.authors:
            self.authors[key] = self._account(person, platform) or self._named(person, platform, site)
        return self.authors[key]

    def _named(self, person: Person, platform: str, site: str) -> Author:
        """Writers without an account id, keyed the way each collector keys them."""
        name = person.short if platform == "web_reviews" else person.name
        keys = {"wordpress": f"{site}:guest:{name}", "woocommerce": f"{site}:reviewer:{name}",
                "google_reviews": content_id("google_reviews", name, ""), "file": name}  # fmt: skip
        return Author(keys.get(platform, f"{site}:{name}"), name, person.handle)

    def _account(self, person: Person, platform: str) -> Author | None:
        handle = person.handle
        followers = int(self.rng.lognormvariate(5, 1.4)) if platform in ("x", "instagram") else None
        if person.vip_note and followers is not None:
            followers = 41000 if person.region == "AR" else 3200
        if platform == "youtube":
            return Author(
                self.ids.youtube_channel(), f"@{handle}", handle, f"https://www.youtube.com/@{handle}"
            )
        if platform == "facebook":
            return Author(self.ids.digits(16, "10"), person.name, handle)
        if platform == "instagram":
            return Author(
                self.ids.digits(17, "178"), handle, handle, f"https://www.instagram.com/{handle}", followers
            )
        if platform == "x":
            return Author(self.ids.digits(19, "1"), person.name, handle, f"https://x.com/{handle}", followers)
        if platform == "trustpilot":
            return Author(self.ids.hex(), person.short, handle)
        return None  # comment forms and review sites: no account id
