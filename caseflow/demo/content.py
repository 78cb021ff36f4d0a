"""What the demo's cases say: realistic Norwegian titles, summaries, case documents,
advice and resolutions (the fictional people's names: ``names.py``).

Everything here is fictional text written for the demo, in the style of Osloregionen's
public board papers (transport, klima, næring, energi, Oslofjorden, høringer). No real
person is named.
"""

from __future__ import annotations

from dataclasses import dataclass

from caseflow.demo.names import (  # noqa: F401 (re-exported)
    FIRST_NAMES,
    LAST_NAMES,
    OBSERVER_ORGANISATIONS,
)
from caseflow.domain.values import CaseKind, CaseStatus, Document, Stance

S = CaseStatus


@dataclass(frozen=True)
class CaseIdea:
    """One demo case: what it is about, which group proposes it, and where it should
    stand when the demo's year ends (its status "today")."""

    title: str
    summary: str
    group: str
    status: CaseStatus
    kind: CaseKind = CaseKind.BOARD_CASE
    #: How it got there: "advice" (KG advice), "waiver" (urgent, advice waived),
    #: "postponed" (postponed once, then decided), "late" (submitted after the invitation
    #: went out: a supplementary item, with a supplementary invitation; issue 14).
    path: str = "advice"


def _c(
    title: str,
    group: str,
    status: CaseStatus,
    summary: str,
    kind: CaseKind = CaseKind.BOARD_CASE,
    path: str = "advice",
) -> CaseIdea:
    return CaseIdea(title, summary, group, status, kind, path)


#: About forty cases covering every status, in no particular order.
CASES: tuple[CaseIdea, ...] = (
    _c(
        "Høring: Nasjonal transportplan 2029–2040 – Osloregionens innspill",
        "ntp",
        S.DECIDED,
        "Osloregionens felles høringsinnspill til NTP 2029–2040: jernbane i InterCity-"
        "triangelet, byvekstavtaler og godsterminalstruktur.",
    ),
    _c(
        "Innspill til Jernbanedirektoratets utredning om InterCity-strekningene",
        "atp",
        S.DECIDED,
        "Behov for ferdigstilling av dobbeltspor til Hamar, Skien og Halden og timesfrekvens "
        "på ytre strekninger.",
    ),
    _c(
        "Regional plan for areal og transport – evaluering av handlingsprogrammet",
        "atp",
        S.DECIDED,
        "Evaluering av handlingsprogrammet til den regionale planen og forslag til "
        "prioriteringer for neste periode.",
        path="postponed",
    ),
    _c(
        "Uttalelse om godsstrategi for Østlandet og terminalstruktur i Alnabru",
        "atp",
        S.DECIDED,
        "Osloregionen støtter en samlet godsstrategi og ber om rask avklaring av Alnabru-"
        "terminalens kapasitet.",
    ),
    _c(
        "Innspill til statsbudsjettet 2027: samferdsel i Osloregionen",
        "ntp",
        S.DECIDED,
        "Prioriterte samferdselstiltak Osloregionen ber Stortinget følge opp i budsjettet.",
        path="waiver",
    ),
    _c(
        "Klimaregnskap for Osloregionen – felles metode for medlemskommunene",
        "km",
        S.DECIDED,
        "Forslag om en felles metode for kommunale klimaregnskap, utviklet sammen med "
        "faggruppen for klima, miljø og natur.",
    ),
    _c(
        "Naturregnskap og arealnøytralitet i kommunal planlegging",
        "km",
        S.DECIDED,
        "Erfaringer fra medlemskommuner og forslag til felles veileder for arealnøytralitet.",
        path="late",
    ),
    _c(
        "Høringsuttalelse: Klimatilpasningsstrategi for Østlandet",
        "km",
        S.DECIDED,
        "Osloregionens uttalelse om overvann, flom og skred i en klimatilpasningsstrategi.",
        path="waiver",
    ),
    _c(
        "Næringsanalyse for Osloregionen 2026",
        "naering",
        S.DECIDED,
        "Oppdatert analyse av verdiskaping, sysselsetting og næringsstruktur i regionen.",
    ),
    _c(
        "Felles profilering av Osloregionen overfor internasjonale investorer",
        "naering",
        S.DECIDED,
        "Forslag til samarbeid med Invest in Norway og medlemskommunene om felles profilering.",
        path="postponed",
    ),
    _c(
        "Kraftbehov og nettkapasitet i Osloregionen mot 2035",
        "kraft-energi",
        S.DECIDED,
        "Kartlegging av forventet kraftbehov og flaskehalser i nettet, med innspill til "
        "Statnett og Elvia.",
    ),
    _c(
        "Energistasjoner for grønn næringstransport – status fase 2",
        "energistasjon",
        S.DECIDED,
        "Status for arbeidspakkene i Energistasjoner fase 2 og plan for regionale workshops.",
    ),
    _c(
        "Tiltaksplan for Oslofjorden – Osloregionens innspill",
        "oslofjorden",
        S.DECIDED,
        "Innspill til ny tiltaksplan for et rent og rikt Oslofjorden: avløp, landbruk og "
        "arealbruk i strandsonen.",
    ),
    _c(
        "Sirkulære innkjøp i medlemskommunene – felles kriterier",
        "sirkular",
        S.DECIDED,
        "Forslag til felles kriterier for sirkulære innkjøp og ombruk av byggematerialer.",
    ),
    _c(
        "Tema til representantskapsmøtet: Kraft og energi i regional utvikling",
        "kg",
        S.DECIDED,
        "KG foreslår kraft og energi som tema for representantskapsmøtet, med innledere fra "
        "Statnett og NVE.",
        kind=CaseKind.THEME_SPEAKER,
    ),
    _c(
        "Politisk påvirkning: Lokalisering av statlige arbeidsplasser i hele Osloregionen",
        "kg",
        S.DECIDED,
        "Initiativ overfor regjeringen om lokalisering av statlige arbeidsplasser utenfor "
        "Oslo sentrum.",
        kind=CaseKind.POLITICAL_INFLUENCE,
    ),
    _c(
        "Handlingsprogram og budsjett 2027",
        "kg",
        S.DECIDED,
        "Sekretariatets forslag til handlingsprogram og budsjett, med håndnotater for "
        "jernbane, energi og Oslofjorden.",
    ),
    _c(
        "Byvekstavtaler – erfaringer og forslag til utvidelse til flere byområder",
        "atp",
        S.DECLINED,
        "Forslag om å be staten utvide ordningen med byvekstavtaler.",
    ),
    _c(
        "Felles parkeringsnorm for næringsbygg i regionen",
        "atp",
        S.DECLINED,
        "Forslag om en felles, regional parkeringsnorm.",
    ),
    _c(
        "Regional strategi for ladeinfrastruktur for tunge kjøretøy",
        "kraft-energi",
        S.DECLINED,
        "Forslag om egen strategi for lading av tunge kjøretøy.",
    ),
    _c(
        "Uttalelse om bompengefinansiering av E16 Sandvika–Wøyen",
        "atp",
        S.WITHDRAWN,
        "Innspill til finansieringsopplegget for E16.",
    ),
    _c(
        "Kartlegging av ledige næringsarealer langs E6",
        "naering",
        S.WITHDRAWN,
        "Felles kartlegging av næringsarealer i Gardermoregionen og Mosseregionen.",
    ),
    _c(
        "Felles søknad om Klimasats-midler for massehåndtering",
        "km",
        S.WITHDRAWN,
        "Forslag om felles søknad om Klimasats-midler for ren masse og gjenbruk.",
    ),
    _c(
        "Utvidet togtilbud på Kongsvingerbanen",
        "atp",
        S.POSTPONED,
        "Behov for halvtimesfrekvens og nytt kryssingsspor på Kongsvingerbanen.",
    ),
    _c(
        "Ren Oslofjord – felles krav til avløpsrensing i kommunene",
        "oslofjorden",
        S.POSTPONED,
        "Forslag om felles krav til nitrogenrensing og tidsplan for utbygging.",
    ),
    _c(
        "Høringsuttalelse om forslag til ny plan- og bygningslov, del om regional planlegging",
        "atp",
        S.SUBMITTED,
        "Osloregionens uttalelse til forslag om endringer i regional planlegging.",
    ),
    _c(
        "Regionalt samarbeid om flomsikring langs Glomma og Vorma",
        "km",
        S.SUBMITTED,
        "Forslag om felles kunnskapsgrunnlag og prioritering av flomsikringstiltak.",
    ),
    _c(
        "Innspill til nasjonal strategi for grønn skipsfart i Oslofjorden",
        "oslofjorden",
        S.SUBMITTED,
        "Osloregionens innspill til landstrøm, nullutslippsferjer og havneutvikling.",
        path="waiver",
    ),
    _c(
        "Kompetansebehov i regionens næringsliv – samarbeid med fylkeskommunene",
        "naering",
        S.SUBMITTED,
        "Forslag om felles kompetanseanalyse og dialog med fylkeskommunene.",
    ),
    _c(
        "Mobilitetsdata for regional planlegging – felles datadeling",
        "atp",
        S.READY,
        "Forslag om avtale om deling av reisevanedata mellom kommunene og Ruter.",
    ),
    _c(
        "Solkraft på kommunale bygg – felles innkjøpsordning",
        "kraft-energi",
        S.READY,
        "Forslag om felles rammeavtale for solcelleanlegg på kommunale bygg.",
    ),
    _c(
        "Høring: Regional plan for vannforvaltning 2028–2033",
        "km",
        S.ADVICE_CLOSED,
        "Osloregionens høringsinnspill til vannforvaltningsplanene for vannregionene.",
    ),
    _c(
        "Strategi for besøksnæringen i Osloregionen",
        "naering",
        S.ADVICE_CLOSED,
        "Forslag om felles satsing på reiseliv og arrangementer utenfor hovedstaden.",
    ),
    _c(
        "Godsknutepunkt Gardermoen – innspill til konseptvalgutredning",
        "ntp",
        S.ADVICE_REQUESTED,
        "Innspill til KVU for godsknutepunkt ved Gardermoen og sammenheng med Alnabru.",
    ),
    _c(
        "Ombruksplattform for byggematerialer i regionen",
        "sirkular",
        S.ADVICE_REQUESTED,
        "Forslag om en felles digital plattform for ombruk av byggematerialer.",
    ),
    _c(
        "Innledere til styreseminaret: Oslofjorden som næringsarena",
        "kg",
        S.ADVICE_REQUESTED,
        "KG foreslår tema og innledere til styreseminaret om næringsliv og Oslofjorden.",
        kind=CaseKind.THEME_SPEAKER,
    ),
    _c(
        "Regional analyse av boligbehov og utbyggingsmønster",
        "atp",
        S.UNDER_PREPARATION,
        "Forslag om felles boligbehovsanalyse som grunnlag for regional plan.",
    ),
    _c(
        "Hydrogen i tungtransporten – erfaringer fra Energistasjonsprosjektet",
        "energistasjon",
        S.UNDER_PREPARATION,
        "Oppsummering av erfaringer og forslag til videre arbeid med hydrogen.",
    ),
    _c(
        "Politisk påvirkning: Statlig finansiering av fylkesveier i pressområder",
        "kg",
        S.UNDER_PREPARATION,
        "Initiativ overfor Stortinget om finansiering av fylkesveier i vekstområder.",
        kind=CaseKind.POLITICAL_INFLUENCE,
    ),
    _c(
        "Sykkelekspressveier på tvers av kommunegrensene",
        "atp",
        S.PROPOSED,
        "Forslag om et regionalt nett av sykkelekspressveier og felles finansiering.",
    ),
    _c(
        "Tilpasning til EUs naturrestaureringsforordning",
        "km",
        S.PROPOSED,
        "Hva forordningen betyr for kommunenes arealplanlegging, og forslag til felles svar.",
    ),
    _c(
        "Datasentre og kraft – regional veileder for lokalisering",
        "kraft-energi",
        S.PROPOSED,
        "Forslag om en veileder for lokalisering av datasentre og bruk av overskuddsvarme.",
    ),
    # issue 18: screened by the secretariat (caseflow/demo/screening.py names the words)
    _c(
        "Avtale med Nordlys Eiendom AS om leie av kontorlokaler for sekretariatet",
        "kg",
        S.DECIDED,
        "Forslag til ny leieavtale for sekretariatets kontorlokaler fra 2027; "
        "forhandlingene om vilkårene pågår.",
    ),
    _c(
        "Personalsak: søknad om permisjon fra Eva Brattli",
        "kg",
        S.SUBMITTED,
        "Styret som arbeidsgiver behandler en søknad om lengre permisjon fra en ansatt i "
        "sekretariatet.",
    ),
)

#: Topics and places for the scale generator's many cases (combined with the year).
SCALE_TOPICS: tuple[tuple[str, str, str], ...] = (
    ("atp", "Innspill til regional plan for areal og transport", "{region}"),
    ("atp", "Kollektivtilbudet på tvers av fylkesgrensene", "{region}"),
    ("atp", "Knutepunktutvikling og stasjonsbyer", "{municipality}"),
    ("ntp", "Høring: Nasjonal transportplan – prioriteringer for", "{region}"),
    ("ntp", "Jernbanetilbudet og InterCity-utbyggingen i", "{region}"),
    ("km", "Klimatilpasning og overvann i", "{municipality}"),
    ("km", "Naturregnskap og arealbruk i", "{region}"),
    ("naering", "Næringsarealer og verdiskaping i", "{region}"),
    ("naering", "Kompetanse og rekruttering i", "{region}"),
    ("kraft-energi", "Nettkapasitet og kraftbehov i", "{region}"),
    ("sirkular", "Sirkulære innkjøp og ombruk i", "{municipality}"),
    ("oslofjorden", "Tiltak for Oslofjorden fra", "{municipality}"),
    ("energistasjon", "Energistasjon for tungtransport ved", "{municipality}"),
    ("kg", "Handlingsprogram: oppfølging av tiltak i", "{region}"),
)

#: What a document says, by stage; the demo varies the wording slightly per revision.
BACKGROUND = (
    "Saken er fremmet av {group}. {summary} Sekretariatet har innhentet faktagrunnlag "
    "fra medlemskommunene og relevante statlige etater."
)
ASSESSMENTS = (
    "Sekretariatet vurderer at saken er viktig for hele regionen og at et felles "
    "innspill vil ha større gjennomslag enn enkeltkommunenes uttalelser.",
    "Sekretariatet har justert vurderingen etter innspill fra KG, særlig om de ytre "
    "delregionenes behov og forholdet til pågående statlige prosesser.",
    "Sekretariatet har oppdatert saken med nye tall og presisert forholdet til "
    "handlingsprogrammet.",
)
RESOLUTION = "Styret i Osloregionen slutter seg til sekretariatets forslag: {title}."


def resolution(title: str) -> str:
    """The board's resolution on a case, naming it by its public title (issue 18: a
    decision is public, a screened case's words are not)."""
    from caseflow.demo.screening import public_title

    return RESOLUTION.format(title=public_title(title))


POLITICAL_INVOLVEMENT = (
    "Saken legges fram for interessepolitisk utvalg før styrebehandling, og "
    "delregionene orienteres gjennom regionrådene.",
    "Styret behandler saken direkte; regionens politikere involveres gjennom "
    "høringsuttalelser fra medlemskommunene.",
    "Saken drøftes på representantskapsmøtet; ordførerne orienteres i forkant.",
)
ADVICE_TEXT: dict[Stance, tuple[str, ...]] = {
    Stance.SUPPORTS: (
        "Støtter forslaget. Viktig for vår delregion.",
        "Godt forarbeid. Vi støtter forslag til vedtak.",
        "Støttes. Saken henger godt sammen med vår regionale plan.",
    ),
    Stance.SUPPORTS_WITH_CHANGES: (
        "Støtter med endringer: de ytre delene av regionen må omtales tydeligere.",
        "Støtter, men ber om at finansieringen omtales i forslag til vedtak.",
        "Støttes med en presisering om kollektivtilbudet på tvers av kommunegrensene.",
    ),
    Stance.DOES_NOT_SUPPORT: (
        "Vi støtter ikke forslaget slik det står; det bør avventes til statens utredning "
        "foreligger.",
    ),
    Stance.NO_COMMENT: ("",),
}
REVISED_ADVICE = "Revidert etter møtet: {text}"
INVITED_INPUT = "Innspill fra faggruppen: saken bygger på faggruppens arbeid, og vi støtter den."
KG_SUMMARY = (
    "KG støtter saken, med enkelte presiseringer som er innarbeidet.",
    "KG støtter forslag til vedtak. Flere delregioner ber om at oppfølgingen rapporteres.",
    "KG er delt i synet på saken; sekretariatet bes omtale uenigheten i saksframlegget.",
)
WAIVER_REASONS = (
    "Hastesak: høringsfristen går ut før neste KG-møte.",
    "Hastesak: departementet ba om innspill på kort frist.",
)
DECLINE_REASONS = (
    "Saken ligger utenfor Osloregionens mandat og strategiske føringer.",
    "Temaet dekkes av pågående arbeid i handlingsprogrammet; saken fremmes ikke nå.",
    "Saken bør løses i det enkelte regionråd, ikke i Osloregionen.",
)
WITHDRAW_REASONS = (
    "Faggruppen trekker saken; den er løst gjennom dialog med Statens vegvesen.",
    "Trukket: saken inngår i en større sak som kommer senere.",
    "Trukket etter avklaring med sekretariatet.",
)
POSTPONE_REASONS = (
    "Styret ba om mer informasjon om økonomiske konsekvenser før vedtak.",
    "Utsatt: styret ønsker å behandle saken sammen med handlingsprogrammet.",
)


def document(title: str, summary: str, group: str, revision: int, seed: int) -> Document:
    """The case document at a revision (1, 2, …)."""
    return Document(
        background=BACKGROUND.format(group=group, summary=summary),
        assessment=ASSESSMENTS[min(revision - 1, len(ASSESSMENTS) - 1)],
        proposed_resolution=RESOLUTION.format(title=title.rstrip(".")),
        political_involvement=POLITICAL_INVOLVEMENT[seed % len(POLITICAL_INVOLVEMENT)],
    )
