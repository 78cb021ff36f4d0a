# language: no
Egenskap: En styresak fra forslag til vedtak
  En sak foreslås av en gruppe, forberedes av sekretariatet, får råd fra KG og
  fremmes for styret av sekretariatet. Hvert steg er en hendelse som sier hvem,
  i hvilken rolle og når.

  Bakgrunn:
    Gitt organisasjonen med KG, faggruppe ATP, NTP-gruppen og et styremøte

  Scenario: Hele løpet fra forslag til vedtak
    Gitt en sak foreslått av "atp" for faggruppe "atp"
    Når "sekretariat" tar saken til behandling
    Og "sekretariat" skriver saksframlegget med vurdering av politisk involvering
    Og "sekretariat" ber KG om råd
    Og "kg" gir rådet "støtter"
    Og "kg-leder" lukker rådsrunden med oppsummeringen "KG støtter saken"
    Og "sekretariat" melder saken klar for styret
    Og "sekretariat" fremmer saken for styremøtet
    Og "sekretariat" sender innkallingen til styremøtet
    Og "sekretariat" fører styrets vedtak "Styret slutter seg til forslaget"
    Så har saken status "decided"
    Og saken har styrenummer "Sak 1/99"
    Og hver hendelse i saken sier hvem, i hvilken rolle og når

  Scenario: R2 Sekretariatet fremmer bare til et styremøte
    Gitt en sak klar for styret
    Når "sekretariat" prøver å fremme saken for KG-møtet
    Så avvises steget på feltet "meeting_id" med regel "R2"
    Og ingenting er registrert

  Scenario: R19 Politisk involvering vurderes før saken går til styret
    Gitt en sak med saksframlegg uten vurdering av politisk involvering, der KG-rådet er avsluttet
    Når "sekretariat" prøver å melde saken klar for styret
    Så avvises steget med regel "R19"
    Og ingenting er registrert

  Scenario: Et steg saken ikke er klar for sier hva som må skje først
    Gitt en sak der KG er bedt om råd
    Når "sekretariat" prøver å fremme saken for styremøtet
    Så avvises steget som ugyldig i sakens tilstand
    Og sier begrunnelsen "KG-rådet må avsluttes eller frafalles før saken kan fremmes"
    Og ingenting er registrert

  Scenario: Sekretariatet kan frafalle KG-råd med begrunnelse
    Gitt en sak under forberedelse med saksframlegg
    Når "sekretariat" frafaller KG-rådet med begrunnelsen "Hastesak"
    Så har saken status "advice_closed"
    Og frafallet "Hastesak" er synlig i historikken

  Scenario: Utsatt sak får nytt nummer i et senere møte
    Gitt en sak fremmet for styremøtet
    Når "sekretariat" sender innkallingen til styremøtet
    Og "sekretariat" utsetter saken med begrunnelsen "Mer utredning"
    Og "sekretariat" fremmer saken for det neste styremøtet
    Og "sekretariat" sender innkallingen til det neste styremøtet
    Så saken har styrenummer "Sak 2/99"

  Scenario: Avsluttede saker tar ingen flere steg
    Gitt en sak foreslått av "atp" for faggruppe "atp"
    Når "sekretariat" avviser saken med begrunnelsen "Utenfor mandatet"
    Og "sekretariat" prøver å ta saken til behandling
    Så avvises steget som ugyldig i sakens tilstand
    Og ingenting er registrert

  Scenario: To KG-medlemmer gir råd samtidig, og begge råd blir registrert
    Gitt en sak der KG er bedt om råd
    Når "kg" og "kg2" gir råd på samme tid
    Så har saken råd fra "kg" og "kg2"
