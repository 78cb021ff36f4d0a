# language: no
Egenskap: Hvem kan gjøre hva
  Hvert avvist steg sier hvilken regel i mandatet som stopper det, og ingenting
  blir registrert.

  Bakgrunn:
    Gitt organisasjonen med KG, faggruppe ATP, NTP-gruppen og et styremøte

  Scenario: R1 Bare sekretariatet fremmer saker for styret
    Gitt en sak klar for styret
    Når "kg" prøver å fremme saken for styremøtet
    Så avvises steget med regel "R1"
    Og ingenting er registrert

  Scenario: R3 Råd er råd og gis av KG
    Gitt en sak der KG er bedt om råd
    Når "atp" prøver å gi rådet "støtter"
    Så avvises steget med regel "R3"
    Og ingenting er registrert

  Scenario: R3 Et råd endrer ikke sakens status
    Gitt en sak der KG er bedt om råd
    Når "kg" gir rådet "støtter ikke"
    Så har saken status "advice_requested"

  Scenario: R5 Administrative grupper har ingen beslutningsmyndighet
    Gitt en sak foreslått av "atp" for faggruppe "atp"
    Når "atp-leder" prøver å avvise saken
    Så avvises steget med regel "R5"
    Og ingenting er registrert

  Scenario: R5 En gruppe kan ikke føre vedtak
    Gitt en sak fremmet for styremøtet
    Når "kg-leder" prøver å føre vedtak
    Så avvises steget med regel "R5"
    Og ingenting er registrert

  Scenario: R9 Observatører foreslår ikke saker
    Når "observator" prøver å foreslå en sak for faggruppe "atp"
    Så avvises steget med regel "R9"
    Og ingenting er registrert

  Scenario: R9 Observatører gir ikke råd
    Gitt en sak der KG er bedt om råd
    Når "kg-obs" prøver å gi rådet "støtter"
    Så avvises steget med regel "R9"
    Og ingenting er registrert

  Scenario: R13 Inviterte faggruppeledere kan gi innspill på egen gruppes sak
    Gitt en sak der KG er bedt om råd
    Når "atp-leder" gir rådet "støtter med endringer"
    Så er innspillet fra "atp-leder" registrert som invitert leder

  Scenario: R3 En faggruppeleder gir ikke råd på en annen gruppes sak
    Gitt en sak foreslått av "ntp" for gruppe "ntp" der KG er bedt om råd
    Når "atp-leder" prøver å gi rådet "støtter"
    Så avvises steget med regel "R3"
    Og ingenting er registrert

  Scenario: R13 En leder som ikke er invitert gir ikke innspill
    Gitt en sak der KG er bedt om råd
    Når "atp-leder" utnevner "atp" til "leader" i gruppe "atp"
    Og "atp" prøver å gi rådet "støtter"
    Så avvises steget med regel "R13"
    Og ingenting er registrert

  Scenario: Et fjernet medlem kan ikke lenger handle
    Gitt en sak der KG er bedt om råd
    Og "kg2" er fjernet fra gruppe "kg"
    Når "kg2" prøver å gi rådet "støtter"
    Så avvises steget med regel "R3"
    Og ingenting er registrert
