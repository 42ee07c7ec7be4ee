"""Vocabulary and sentence templates for the synthetic defence-news generator (written for this project)."""

from __future__ import annotations

# Programme names are built from three parts, so a large corpus has hundreds of distinct programmes.
PROGRAMME_FIRST = [
    "Advanced", "Long-Range", "Next-Generation", "Extended-Range", "Integrated", "Modular", "Autonomous",
    "Joint", "Expeditionary", "Resilient", "Common", "Tactical", "Persistent", "Distributed", "Hardened",
]
PROGRAMME_MIDDLE = [
    "Maritime Strike", "Air Defence", "Counter-Drone", "Surface Fires", "Space Tracking", "Littoral Patrol",
    "Electronic Warfare", "Undersea Surveillance", "Precision Strike", "Airborne Early Warning", "Armoured Recon",
    "Missile Warning", "Cruise Missile Defence", "Heavy Lift", "Hypersonic Glide", "Mine Countermeasures",
]
PROGRAMME_LAST = [
    "Missile", "Interceptor", "Radar", "Vehicle", "Aircraft", "Satellite", "Sensor", "Vessel", "System",
    "Launcher", "Drone", "Network",
]

CONTRACTORS = [
    "Halvorsen Aerospace", "Northbridge Dynamics", "Castellan Systems", "Meridian Defence Industries",
    "Brightwater Shipbuilding", "Orrin Missile Works", "Kestrel Avionics", "Talgarth Electronics",
    "Vantor Space", "Aldmoor Land Systems", "Pellucid Sensors", "Rathmore Ordnance", "Skyreach Robotics",
    "Ironvale Munitions", "Solent Marine Group", "Arclight Photonics", "Greymark Cyber", "Westholm Propulsion",
    "Corvane Industries", "Lumen Orbital", "Stavros Heavy Engineering", "Quarry Point Energetics",
    "Fenwick Autonomy", "Blackridge Composites",
]

CUSTOMERS = [
    ("Army", "U.S. Army"), ("Navy", "U.S. Navy"), ("Air Force", "U.S. Air Force"), ("Space Force", "U.S. Space Force"),
    ("Marine Corps", "U.S. Marine Corps"), ("Bundeswehr", "German armed forces"), ("Polish Armed Forces", "Poland"),
    ("Japan Self-Defense Forces", "Japan"), ("Australian Defence Force", "Australia"), ("British Army", "the United Kingdom"),
    ("Royal Navy", "the United Kingdom"), ("French Army", "France"), ("Finnish Defence Forces", "Finland"),
    ("Republic of Korea Army", "South Korea"), ("Canadian Armed Forces", "Canada"), ("Royal Netherlands Navy", "the Netherlands"),
]

OFFICIALS = [
    "Gen. Marisa Okafor", "Adm. Teodor Lindqvist", "Lt. Gen. Samuel Achterberg", "Maj. Gen. Priya Raghunathan",
    "Brig. Gen. Colm Fairweather", "Vice Adm. Helena Strand", "Under Secretary Dara Whitcombe",
    "Assistant Secretary Julian Mbeki", "procurement chief Ingrid Valcourt", "programme executive officer Tomas Reyes",
    "defence minister Anneliese Korhonen", "budget director Oren Castellanos",
]

PLACES = [
    "Huntsville, Alabama", "Tucson, Arizona", "White Sands Missile Range", "Vandenberg Space Force Base",
    "the Pacific Missile Range Facility", "Kiel", "Gdansk", "Nagoya", "Adelaide", "Barrow-in-Furness", "Bourges",
    "Tampere", "Changwon", "Halifax", "Den Helder", "Fort Worth, Texas",
]

OUTLETS = [
    "Harbourline Defence Journal", "Capitol Procurement Daily", "Northwind Defence Wire", "Atlas Security Review",
    "Meridian Military Monitor", "Forward Operating News", "Baltic Security Ledger", "Pacific Strategy Bulletin",
    "Orbital Affairs Weekly", "Shipyard Gazette", "Land Forces Report", "Budget Hawk Briefing",
]

TAGS = [
    "contracts", "budget", "missile-defence", "space", "naval", "land", "air", "munitions", "industry",
    "europe", "indo-pacific", "testing", "drones", "exports", "cyber", "hypersonics",
]

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]

# Slots: {prog} full name, {acr} acronym, {con} contractor, {con2} second contractor, {svc} customer,
# {nation} its country, {off} official, {place}, {amt} money, {qty} count, {month} {year}, {pct}, {num} small number.
TITLES = [
    "{con} wins {amt} {svc} contract for {qty} {acr} units",
    "{svc} picks {con} to build the {prog}",
    "{acr} programme slips {num} months as costs climb to {amt}",
    "{prog} completes {ordinal} flight test at {place}",
    "{nation} signs {amt} deal for {acr}, deliveries from {year}",
    "Auditors question {amt} {acr} cost estimate",
    "{con} and {con2} team up on {prog} bid",
    "{svc} budget request adds {amt} for {acr} production",
    "{acr} enters full-rate production after {month} review",
    "{off} says {acr} will reach initial capability in {year}",
]

OPENERS = [
    "The {svc} has awarded {con} a {amt} contract for {qty} {prog} ({acr}) units, officials said on {month} {day}, {year}.",
    "{con} said on {month} {day}, {year} that it had been selected to develop the {prog} ({acr}) for the {svc}.",
    "The {prog} ({acr}) programme has fallen {num} months behind schedule, according to a report released in {month} {year}.",
    "A {prog} ({acr}) prototype completed its {ordinal} flight test at {place} in {month} {year}, {con} said.",
    "{nation} agreed in {month} {year} to buy {qty} {prog} ({acr}) units in a deal worth {amt}.",
    "The {svc} wants {amt} in its next budget to buy {qty} more {prog} ({acr}) units, budget documents released in {month} {year} show.",
]

BODY = [
    "The contract covers production, spare parts and training through {year2}.",
    "Deliveries of the first {num} {acr} units are expected to begin in {month} {year2}.",
    "{off} told reporters that the {acr} would give the {svc} a capability it has lacked for years.",
    "Work will be performed mainly in {place}, with completion expected by {month} {year2}.",
    "The estimated cost of the programme has risen {pct} percent since the {year0} baseline, to {amt}.",
    "{con} is expanding its plant in {place} to reach a rate of {num} units a month.",
    "Government auditors said the {acr} still needs to prove its reliability before full-rate production.",
    "The {svc} plans to field the {acr} with {num} units by the end of {year2}.",
    "{con2} supplies the seeker and much of the electronics under a subcontract worth {amt2}.",
    "The test at {place} showed the {acr} could engage a target at a range of {range} kilometres.",
    "Lawmakers added {amt2} above the request to speed up {acr} deliveries.",
    "{off} said the {svc} would decide on a second production lot in {month} {year2}.",
    "Export interest in the {acr} has grown, with {nation} and other partners asking for pricing data.",
    "The {prog} is meant to replace a system that entered service in the {decade}s.",
    "A software problem delayed the {ordinal} test by {num} weeks, {con} said.",
    "The agreement includes an option for {qty2} more units that could raise its value to {amt}.",
    "Supply chain shortages of rocket motors and microelectronics remain the main risk, the report said.",
    "The {svc} certified the restructured {acr} programme after a review that lasted {num} months.",
    "{con} shares rose {pct} percent after the award was announced.",
    "Critics in parliament questioned whether {nation} could afford the {acr} alongside its other priorities.",
    "The first operational unit will be based near {place}.",
    "Officials declined to give the unit cost, citing continuing negotiations with {con}.",
    "The {acr} uses an open architecture so that new sensors can be added without a full redesign.",
    "Training for the first crews began in {month} {year} at {place}.",
]

CLOSERS = [
    "{con} did not respond to a request for comment.",
    "The {svc} said further details would be released with the next budget in {month} {year2}.",
    "A decision on full-rate production of the {acr} is expected in {year2}.",
    "Analysts said the award signals a longer-term commitment to the {acr} by the {svc}.",
]
