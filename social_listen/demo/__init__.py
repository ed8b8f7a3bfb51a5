"""A realistic demo store for two fictional shops (Spanish-first Tienda Luna, English-first Harbor & Pine):
~90 days of comments, mentions, reviews and messages on every platform, with the team's answers.

``demo_config(db_path)`` gives the demo's brands and sources, ``write_demo_config`` writes them as TOML, and
``build_demo(store, config)`` fills the store (same seed, same store; building twice adds nothing)."""

from social_listen.demo.build import build_demo
from social_listen.demo.config import demo_config, write_demo_config
from social_listen.demo.staff import DEMO_USERS
from social_listen.demo.summary import DemoSummary, format_summary, summarize

__all__ = ["DEMO_USERS", "DemoSummary", "build_demo", "demo_config", "format_summary", "summarize",
           "write_demo_config"]  # fmt: skip
