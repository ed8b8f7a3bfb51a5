"""English customer messages (US and UK customers), by intent; slots as in texts_es. Written for this demo."""

from __future__ import annotations

BODIES: dict[str, tuple[str, ...]] = {
    "shipping": (
        "Do you ship to {ciudad}? And how long does it usually take?",
        "How long does delivery take to {ciudad}? I need {the_prod} for {evento}.",
        "Is shipping free over a certain amount? Got {the_prod} sitting in my cart.",
        "Which carrier do you use? {transportista} never finds my building.",
        "If I order {the_prod} today, will {they} arrive before {dia}?",
        "Do you charge customs/duties on orders to {ciudad} or is it all included at checkout?",
    ),
    "not_received": (
        "My order {pedido} still hasn't arrived and it's been {dias} days. Any update?",
        "Ordered {the_prod} {dias} days ago and the {transportista} tracking hasn't moved since {dia}.",
        "Tracking says delivered but there's nothing here. Order {pedido}.",
        "Still waiting on my package after {dias} days. I paid for express shipping!",
        "Where is my order?? {dias} days and the tracking link doesn't even load.",
    ),
    "no_response": (
        "I've emailed three times and nobody answers. Is anyone there?",
        "Does anyone actually read these? {dias} days without a reply about order {pedido}.",
        "Sent you a DM on {dia}, still on read. Not great.",
    ),
    "return_refund": (
        "How do I return {the_prod}? {It} {runs} big and I'd like the {size2} instead.",
        "Is the return free or do I pay the postage?",
        "Sent {the_prod} back {dias} days ago and still no refund.",
        "Can I exchange {the_prod} for the {size2} rather than returning {it}?",
        "You refunded the item but not the shipping cost. Can you check order {pedido}?",
    ),
    "payment": (
        "Do you take Klarna? I can't see it at checkout.",
        "I was charged twice for order {pedido}, can you look into it?",
        "Checkout keeps failing with my card and now I don't know if the order went through.",
        "Any chance of paying with {pago}? {The_prod} {is} {precio} and I'd rather split it.",
    ),
    "size_fit": (
        "What size would you recommend? I usually wear {size} but people say {the_prod} {runs} small.",
        "{The_prod}: true to size or not? I usually wear {size}.",
        "I'm {feet} and about {peso} kg, which size of {the_prod} should I get?",
        "Between {size} and {size2} in {the_prod}, which would you pick {wide}?",
    ),
    "stock": (
        "Will {the_prod} be restocked in {color}, size {size}?",
        "When {is} {the_prod} coming back? I've been checking the site for {semanas} weeks.",
        "Site says sold out in {size}, any left in the store?",
    ),
    "invoice": (
        "I need a VAT invoice for order {pedido}, where can I download it?",
        "Can you add my company name to the invoice? I only got a receipt.",
    ),
    "discount": (
        "Any discount code for a first order?",
        "The code {codigo} isn't working, says it's expired.",
        "Bought {the_prod} on {dia} and now {they} {is} 30% off. Can you refund the difference?",
        "Will {the_prod} be in the Black Friday sale?",
    ),
    "praise": (
        "Just got {the_prod} and {they} {is} gorgeous! Arrived in {dias} days to {ciudad}.",
        "Third order and still perfect. {The_prod} in {color} is a 10/10.",
        "Ordered on {dia}, arrived the next day. Impressive!",
        "{The_prod} {is} so comfy, wore {it} all day and forgot I had {it} on.",
        "Love {the_prod}, three people asked me where I got {it}.",
        "Such lovely packaging, even a handwritten note. You're the best.",
    ),
    "defective": (
        "{The_prod} arrived with {defecto}. What do I do?",
        "Two weeks in and {the_prod} already {is} showing {defecto}. Not ok for {precio}.",
        "Got {the_prod} with {defecto} and it was a gift. Embarrassing.",
        "First time wearing {the_prod} and there's {defecto}. I want a replacement.",
    ),
    "sarcasm": (
        "Love how my order is on a world tour. {dias} days and counting.",
        "Great customer service, guys. Zero replies in a week.",
        "Paid for express so it could take {dias} days. Bravo.",
        "Wow, so fast at charging my card, not so fast at shipping.",
    ),
    "question": (
        "Can {the_prod} go in the washing machine?",
        "What {is} {the_prod} made of? Looks like linen but it doesn't say.",
        "Where do you make {the_prod}? Local production matters to me.",
        "Is the {color} lighter in person than in the photo?",
    ),
}

OPENERS: dict[str, tuple[str, ...]] = {
    "question": ("Hi!", "Hey,", "Hi there,", "Quick question:", "Hello,", "Hiya,", "Hey {marca},"),
    "complaint": ("Hi.", "Seriously,", "Ok so", "Hello {marca},", "Not impressed."),
    "praise": ("Omg", "Just wanted to say", "Wow.", "Hey {marca}!", "Honestly,"),
}

CLOSERS: dict[str, tuple[str, ...]] = {
    "question": ("Thanks!", "Thanks in advance.", "Cheers!", "TIA", "Thank you :)"),
    "complaint": (
        "Not happy.",
        "Please sort this out.",
        "Very disappointed.",
        "Need this fixed asap.",
        "Won't be ordering again.",
    ),
    "praise": ("Obsessed!", "10/10 would buy again.", "Thank you!!", "Already eyeing the next one.", "<3"),
}

EXTRAS: dict[str, tuple[str, ...]] = {
    "question": ("It's a gift.", "I'm in {ciudad}.", "Order {pedido}.", "Couldn't find it on the site."),
    "complaint": (
        "Order {pedido}.",
        "It's been {dias} days.",
        "I've called twice.",
        "And the [tracking link](https://tracking.example/{transportista}) is broken.",
        "It was for {evento}.",
    ),
    "praise": ("Got {the_prod} in {color}.", "Arrived in {dias} days.", "Already following you everywhere."),
}

CHIME_INS: dict[str, tuple[str, ...]] = {
    "same_problem": ("Same here with {the_prod}.", "Same, waiting since {dia}.", "Me too, {dias} days and nothing."),
    "advice": ("@{name} mine took {dias} days to {ciudad}.", "@{name} DM them, they answered me there.",
               "@{name} call {transportista} with the tracking number, they found mine."),
    "size": ("I have {the_prod} in {size} and {they} {fits} perfectly.", "@{name} I went with the {size2} and it was spot on."),
    "same_question": ("Following, same question.", "Also wondering this!", "Same q, and do you ship to {ciudad}?"),
    "praise": ("Love mine, would buy again.", "Mine are the {color} ones and they're great.",
               "{The_prod} in {color} {is} my favourite too."),
}  # fmt: skip

FOLLOW_UPS: dict[str, tuple[str, ...]] = {
    "waiting": (
        "Anyone?",
        "Still waiting...",
        "Just DMed you my order number {pedido}.",
        "Hello?? Still nothing.",
        "Nothing, again.",
    ),
    "thanks": (
        "Thanks {agent}! Sent you my order number.",
        "Perfect, thank you!",
        "Arrived today, thanks for the help!",
        "Great, I'll go with the {size} then.",
        "Sorted, thanks.",
    ),
}
