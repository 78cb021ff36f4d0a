# language: no
Egenskap: Skjerming
  Saker, saksdokumenter og punkter på sakslisten er offentlige med mindre sekretariatet
  skjermer dem med en hjemmel (f.eks. "Offl. § 23" eller "Offl. § 13 jf. fvl. § 13").
  Offentligheten ser da en offentlig tittel der de skjermede ordene er erstattet med
  "****", og ingen sammendrag. Skjerming og oppheving er hendelser som revisorer ser.

  Bakgrunn:
    Gitt organisasjonen med KG, faggruppe ATP, NTP-gruppen og et styremøte

  Scenario: Sekretariatet skjermer en sak med hjemmel, og den offentlige tittelen skjuler ordene
    Gitt en sak med tittelen "Avtale med Nordlys Eiendom AS om kontorlokaler"
    Når "sekretariat" skjermer saken etter "Offl. § 23" med ordene "Nordlys Eiendom AS"
    Så er saken skjermet etter "Offl. § 23"
    Og er den offentlige tittelen "Avtale med **** om kontorlokaler"
    Og ser offentligheten ikke sakens sammendrag
    Og står "Case.Screened" i historikken

  Scenario: Sekretariatet skriver selv en offentlig tittel uten de skjermede ordene
    Gitt en sak med tittelen "Personalsak: permisjon for Eva Brattli"
    Når "sekretariat" skjermer saken etter "Offl. § 13 jf. fvl. § 13" med ordene "Eva Brattli" og den offentlige tittelen "Personalsak: søknad om permisjon"
    Så er den offentlige tittelen "Personalsak: søknad om permisjon"

  Scenario: En offentlig tittel som inneholder et skjermet ord avvises på feltet "public_title"
    Gitt en sak med tittelen "Personalsak: permisjon for Eva Brattli"
    Når "sekretariat" prøver å skjerme saken etter "Offl. § 13 jf. fvl. § 13" med ordene "Eva Brattli" og den offentlige tittelen "Permisjon for Eva Brattli"
    Så avvises skjermingen på feltet "public_title"
    Og ingenting er registrert

  Scenario: Sekretariatet opphever skjermingen, og saken er offentlig igjen
    Gitt en sak med tittelen "Avtale med Nordlys Eiendom AS om kontorlokaler"
    Og "sekretariat" skjermer saken etter "Offl. § 23" med ordene "Nordlys Eiendom AS"
    Når "sekretariat" opphever skjermingen fordi "Avtalen er inngått og offentlig"
    Så er saken offentlig
    Og er den offentlige tittelen "Avtale med Nordlys Eiendom AS om kontorlokaler"
    Og står "Case.ScreeningLifted" i historikken

  Scenario: Bare sekretariatet skjermer, og et avvist forsøk registrerer ingenting
    Gitt en sak foreslått av "atp" for faggruppe "atp"
    Når "atp" prøver å skjerme saken etter "Offl. § 14" med ordene "NTP"
    Så sier begrunnelsen "Bare sekretariatet skjermer saker, dokumenter og punkter på sakslisten, eller opphever en skjerming."
    Og ingenting er registrert

  Scenario: Sekretariatet skjermer et vedlegg etter opplasting
    Gitt en sak med tittelen "Avtale med Nordlys Eiendom AS om kontorlokaler"
    Og vedlegget "Leietilbud fra Nordlys Eiendom AS"
    Når "sekretariat" skjermer vedlegget etter "Offl. § 13 jf. fvl. § 13 første ledd nr. 2" med ordene "Nordlys Eiendom AS"
    Så er vedleggets offentlige tittel "Leietilbud fra ****"
