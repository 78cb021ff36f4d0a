# language: no
Egenskap: Organisasjonen: medlemskommuner, grupper og roller

  Bakgrunn:
    Gitt organisasjonen med KG, faggruppe ATP, NTP-gruppen og et styremøte

  Scenario: R4 Gruppen utnevner selv sin leder
    Når "atp-leder" utnevner "atp" til "deputy" i gruppe "atp"
    Så er "atp" "deputy" i gruppe "atp"

  Scenario: R4 Et medlem utnevner ikke seg selv alene
    Når "atp" prøver å utnevne "atp" til "leader" i gruppe "atp"
    Så avvises steget med regel "R4"
    Og ingenting er registrert
    Og er "atp-leder" "leader" i gruppe "atp"

  Scenario: R4 Et medlem som utnevner seg selv, med bekreftelse fra et annet medlem, registreres
    Når "atp" utnevner seg selv til "leader" i gruppe "atp" med bekreftelse fra "atp-leder"
    Så er "atp" "leader" i gruppe "atp"
    Og er utnevnelsen av "atp" i gruppe "atp" registrert av "atp" og bekreftet av "atp-leder"

  Scenario: R4 Bekreftelsen kommer fra et annet medlem som ikke er observatør
    Når "atp" prøver å utnevne seg selv til "leader" i gruppe "atp" med bekreftelse fra "observator"
    Så avvises steget med regel "R4"
    Og ingenting er registrert
    Når "atp" prøver å utnevne seg selv til "leader" i gruppe "atp" med bekreftelse fra "atp"
    Så avvises steget med regel "R4"
    Og ingenting er registrert
    Når "atp" prøver å utnevne seg selv til "leader" i gruppe "atp" med bekreftelse fra "kg"
    Så avvises steget med regel "R4"
    Og ingenting er registrert

  Scenario: R4 Sekretariatet utnevner ikke en faggruppes leder
    Når "sekretariat" prøver å utnevne "atp" til "leader" i gruppe "atp"
    Så avvises steget med regel "R4"
    Og ingenting er registrert

  Scenario: R4 Lederen må være et medlem som ikke er observatør
    Når "atp" prøver å utnevne "observator" til "leader" i gruppe "atp"
    Så avvises steget med regel "R4"

  Scenario: R8 Medlemmer representerer sin egen region, uten tak per region
    Gitt en ny person "follo2" fra "Nordre Follo"
    Når "sekretariat" legger "follo2" til i gruppe "kg" som "member"
    Så representerer "follo2" regionen "follo" i gruppe "kg"
    Og gruppe "kg" har 2 medlemmer fra regionen "follo"

  Scenario: R8 Et medlem kan ikke representere en annen region
    Gitt en ny person "follo2" fra "Nordre Follo"
    Når "sekretariat" prøver å legge "follo2" til i gruppe "kg" for regionen "oslo"
    Så avvises steget på feltet "on_behalf_of" med regel "R8"

  Scenario: R9 Deltakere som ikke kommer fra en medlemskommune er observatører
    Gitt en ny person "vegvesen" fra "Statens vegvesen"
    Når "sekretariat" prøver å legge "vegvesen" til i gruppe "atp" som "member"
    Så avvises steget med regel "R9"
    Når "sekretariat" legger "vegvesen" til i gruppe "atp" som "observer"
    Så er "vegvesen" "observer" i gruppe "atp"

  Scenario: R10 Kommuner som ikke er medlemmer deltar ikke, heller ikke som observatører
    Når "sekretariat" prøver å legge "halden" til i gruppe "atp" som "observer"
    Så avvises steget med regel "R10"
    Og ingenting er registrert

  Scenario: R10 En kommune som melder seg inn kan delta
    Gitt at "Halden" blir medlem i regionen "follo"
    Når "sekretariat" legger "halden" til i gruppe "atp" som "member"
    Så er "halden" "member" i gruppe "atp"

  Scenario: R11 Prosjekter og ad hoc-grupper har samme mandat
    Når "ntp" foreslår en sak for gruppe "ntp"
    Så har saken status "proposed"
    Når "ntp-obs" prøver å foreslå en sak for gruppe "ntp"
    Så avvises steget med regel "R11"

  Scenario: R12 Et samfinansiert prosjekt registrerer eier og Osloregionens rolle
    Når "sekretariat" prøver å opprette et samfinansiert prosjekt uten eier
    Så avvises steget med regel "R12"
    Når "sekretariat" oppretter et samfinansiert prosjekt med eier "Klimasats" og rollen "prosjekteier"
    Så har prosjektet eier "Klimasats" og rollen "prosjekteier"

  Scenario: R6 En styreregion uten KG-medlem vises som et hull
    Gitt en styreregion "ringerike" uten KG-medlem
    Så viser KG regionen "ringerike" som et hull
