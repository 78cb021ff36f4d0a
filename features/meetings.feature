# language: no
Egenskap: Møter, sakslister, innkallinger og referater
  Styret, KG, interessepolitisk utvalg, representantskapet og gruppene har møter med
  saksliste, innkalling med vedlegg og referat. Sakene venter unummerert på møtets liste;
  sekretariatet ordner sakslisten, og innkallingen nummererer den i trykt rekkefølge.
  Styresakene nummereres i én serie per år på tvers av møtene ("Sak 38/25"); KG- og
  gruppemøter nummererer fra 1 på hvert møte. En sak lagt til etter innkallingen er en
  tilleggssak; en utsatt eller trukket sak beholder nummeret sitt, merket. Numre brukes
  aldri om igjen.

  Bakgrunn:
    Gitt organisasjonen med KG, faggruppe ATP, NTP-gruppen og et styremøte
    Og en tverrgående arbeidsgruppe "kraft"
    Og et styremedlem "styre"

  Scenario: R2 Styresakene nummereres i én serie per år på tvers av møtene
    Gitt et styremøte 10.02.2097 med åpningspunktene på sakslisten
    Og en sak fremmet for styremøtet 10.02.2097
    Når "sekretariat" sender innkallingen til styremøtet 10.02.2097
    Og "sekretariat" legger åpningspunktene på sakslisten til styremøtet 21.04.2097
    Og "sekretariat" sender innkallingen til styremøtet 21.04.2097
    Så har styremøtet 10.02.2097 sakene "Sak 1/97" til "Sak 7/97"
    Og sak "Sak 3/97" på styremøtet 10.02.2097 er den fremmede saken
    Og sak "Sak 7/97" på styremøtet 10.02.2097 heter "Eventuelt"
    Og styremøtet 21.04.2097 begynner med "Sak 8/97" "Godkjenning av innkalling"

  Scenario: R2 Et nytt år begynner på Sak 1
    Gitt et styremøte 08.12.2097 med åpningspunktene på sakslisten
    Når "sekretariat" sender innkallingen til styremøtet 08.12.2097
    Og "sekretariat" legger åpningspunktene på sakslisten til styremøtet 14.01.2098
    Og "sekretariat" sender innkallingen til styremøtet 14.01.2098
    Så styremøtet 14.01.2098 begynner med "Sak 1/98" "Godkjenning av innkalling"

  Scenario: R2 Sakene venter unummerert til innkallingen nummererer sakslisten
    Gitt et styremøte 10.02.2097 med åpningspunktene på sakslisten
    Og en sak fremmet for styremøtet 10.02.2097
    Så er sakslisten til styremøtet 10.02.2097 ikke nummerert
    Og saken har ikke fått styrenummer
    Når "sekretariat" sender innkallingen til styremøtet 10.02.2097
    Så har styremøtet 10.02.2097 sakene "Sak 1/97" til "Sak 7/97"
    Og saken har styrenummer "Sak 3/97"
    Og hver hendelse på styremøtet 10.02.2097 sier hvem, i hvilken rolle og når

  Scenario: R2 To styremøter forberedes samtidig og leses fortløpende når innkallingene sendes i datoorden
    Gitt et styremøte 10.02.2097 med åpningspunktene på sakslisten
    Og et styremøte 21.04.2097 med åpningspunktene på sakslisten
    Og en sak "Sak til april" fremmet for styremøtet 21.04.2097
    Og en sak "Sak til februar" fremmet for styremøtet 10.02.2097
    Når "sekretariat" sender innkallingen til styremøtet 10.02.2097
    Og "sekretariat" sender innkallingen til styremøtet 21.04.2097
    Så har styremøtet 10.02.2097 sakene "Sak 1/97" til "Sak 7/97"
    Og sak "Sak 3/97" på styremøtet 10.02.2097 heter "Sak til februar"
    Og har styremøtet 21.04.2097 sakene "Sak 8/97" til "Sak 14/97"
    Og sak "Sak 10/97" på styremøtet 21.04.2097 heter "Sak til april"

  Scenario: Sekretariatet ordner sakslisten før innkallingen, og rekkefølgen ligger fast etterpå
    Gitt et styremøte 10.02.2097 med åpningspunktene på sakslisten
    Og en sak "Første sak" fremmet for styremøtet 10.02.2097
    Og en sak "Andre sak" fremmet for styremøtet 10.02.2097
    Når "sekretariat" flytter "Andre sak" opp på sakslisten til styremøtet 10.02.2097
    Og "sekretariat" sender innkallingen til styremøtet 10.02.2097
    Så sak "Sak 3/97" på styremøtet 10.02.2097 heter "Andre sak"
    Og sak "Sak 4/97" på styremøtet 10.02.2097 heter "Første sak"
    Når "sekretariat" prøver å flytte "Første sak" opp på sakslisten til styremøtet 10.02.2097
    Så avvises steget som ugyldig i sakens tilstand
    Og ingenting er registrert

  Scenario: R2 En sak fremmet etter innkallingen er en tilleggssak med tilleggsinnkalling
    Gitt et styremøte 10.02.2097 med åpningspunktene på sakslisten
    Når "sekretariat" sender innkallingen til styremøtet 10.02.2097
    Og "sekretariat" fremmer en ny sak "Sen sak" for styremøtet 10.02.2097
    Så står "Sen sak" som tilleggssak "Sak 7/97" på styremøtet 10.02.2097
    Når "sekretariat" sender tilleggsinnkallingen til styremøtet 10.02.2097
    Så har styremøtet 10.02.2097 1 tilleggsinnkalling, den siste med "Sak 7/97"
    Når "sekretariat" fremmer en ny sak "Enda en sen sak" for styremøtet 10.02.2097
    Og "sekretariat" sender tilleggsinnkallingen til styremøtet 10.02.2097
    Så har styremøtet 10.02.2097 2 tilleggsinnkallinger, den siste med "Sak 8/97"
    Når "sekretariat" prøver å sende tilleggsinnkallingen til styremøtet 10.02.2097
    Så avvises steget som ugyldig i sakens tilstand
    Og ingenting er registrert

  Scenario: R2 En utsatt sak beholder nummeret på møtet og nummereres på nytt på det senere møtet
    Gitt et styremøte 10.02.2097 med åpningspunktene på sakslisten
    Og en sak fremmet for styremøtet 10.02.2097
    Når "sekretariat" sender innkallingen til styremøtet 10.02.2097
    Og "sekretariat" utsetter saken på styremøtet 10.02.2097 med begrunnelsen "Trenger mer utredning"
    Så står sak "Sak 3/97" på styremøtet 10.02.2097 som utsatt
    Og har saken status "postponed"
    Når "sekretariat" fremmer saken for styremøtet 21.04.2097
    Og "sekretariat" sender innkallingen til styremøtet 21.04.2097
    Så saken har styrenummer "Sak 8/97"
    Og sak "Sak 3/97" på styremøtet 10.02.2097 er den fremmede saken

  Scenario: R2 En sak utsatt som sakssteg står også som utsatt på møtets saksliste
    Gitt et styremøte 10.02.2097 med åpningspunktene på sakslisten
    Og en sak fremmet for styremøtet 10.02.2097
    Når "sekretariat" sender innkallingen til styremøtet 10.02.2097
    Og "sekretariat" utsetter saken med begrunnelsen "Trenger mer utredning"
    Så står sak "Sak 3/97" på styremøtet 10.02.2097 som utsatt

  Scenario: R2 En sak trukket fra sakslisten står merket med nummeret sitt og venter på et nytt møte
    Gitt et styremøte 10.02.2097 med åpningspunktene på sakslisten
    Og en sak fremmet for styremøtet 10.02.2097
    Når "sekretariat" sender innkallingen til styremøtet 10.02.2097
    Og "sekretariat" trekker saken fra styremøtet 10.02.2097 med begrunnelsen "Ikke klar"
    Så står sak "Sak 3/97" på styremøtet 10.02.2097 som trukket
    Og har saken status "ready"

  Scenario: R2 Et avlyst møte sender sakene tilbake til venting, og numrene brukes ikke igjen
    Gitt et styremøte 10.02.2097 med åpningspunktene på sakslisten
    Og en sak fremmet for styremøtet 10.02.2097
    Når "sekretariat" sender innkallingen til styremøtet 10.02.2097
    Og "sekretariat" avlyser styremøtet 10.02.2097 med begrunnelsen "Styreleder er syk"
    Så er styremøtet 10.02.2097 avlyst
    Og har saken status "ready"
    Når "sekretariat" fremmer saken for styremøtet 21.04.2097
    Og "sekretariat" sender innkallingen til styremøtet 21.04.2097
    Så saken har styrenummer "Sak 8/97"
    Når "sekretariat" prøver å sende innkallingen til styremøtet 10.02.2097
    Så avvises steget som ugyldig i sakens tilstand
    Og ingenting er registrert

  Scenario: Protokollen fører oppmøtet og vedtaket, og vedtaket på en styresak er sakens vedtak
    Gitt et styremøte 10.02.2025 med åpningspunktene på sakslisten
    Og en sak fremmet for styremøtet 10.02.2025
    Når "sekretariat" sender innkallingen til styremøtet 10.02.2025
    Og "sekretariat" prøver å føre vedtaket "For tidlig" på saken på styremøtet 10.02.2025
    Så avvises steget som ugyldig i sakens tilstand
    Og ingenting er registrert
    Når "sekretariat" markerer styremøtet 10.02.2025 som holdt
    Og "sekretariat" fører at "styre" var til stede på styremøtet 10.02.2025
    Og "sekretariat" fører vedtaket "Styret slutter seg til forslaget" på saken på styremøtet 10.02.2025
    Så har saken status "decided"
    Og protokollen for styremøtet 10.02.2025 har "styre" til stede og vedtaket "Styret slutter seg til forslaget"

  Scenario: Bare sekretariatet avlyser et møte
    Gitt et styremøte 10.02.2097 med åpningspunktene på sakslisten
    Når "kg-leder" prøver å avlyse styremøtet 10.02.2097 med begrunnelsen "Vil ikke"
    Så avvises steget uten tillatelse
    Og ingenting er registrert

  Scenario: KG-møter nummererer sakene fra 1 på hvert møte
    Gitt et KG-møte 20.01.2097 med standardpunktene på sakslisten
    Når "sekretariat" legger standardpunktene på sakslisten til KG-møtet 20.03.2097
    Og "sekretariat" sender innkallingen til KG-møtet 20.03.2097
    Så begynner KG-møtet 20.03.2097 med "Sak 1" "Godkjenning av innkalling og saksliste"
    Og sak "Sak 2" på KG-møtet 20.03.2097 heter "Godkjenning av referat fra KG-møte 20.01.2097"

  Scenario: R15 Det nyeste godkjente KG-referatet følger innkallingen til styremøtet
    Gitt et KG-møte 10.01.2025 som er holdt med godkjent referat
    Og et KG-møte 12.11.2025 som er holdt med godkjent referat
    Og et styremøte 08.12.2025 med åpningspunktene på sakslisten
    Når "sekretariat" sender innkallingen til styremøtet 08.12.2025
    Så har innkallingen til styremøtet 08.12.2025 referatet fra KG-møtet 12.11.2025 som vedlegg med regel "R15"
    Og referatet hører til sak "Orientering fra sekretariatet"
    Og innkallingen til styremøtet 08.12.2025 har ingen advarsler

  Scenario: R15 Protokollen godkjennes under sak 2 på neste KG-møte og følger innkallingen til styremøtet
    Gitt et KG-møte 10.01.2025 med standardpunktene på sakslisten
    Når "sekretariat" sender innkallingen til KG-møtet 10.01.2025
    Og "sekretariat" markerer KG-møtet 10.01.2025 som holdt
    Og "sekretariat" fører at "kg-leder" var til stede på KG-møtet 10.01.2025
    Og "sekretariat" legger standardpunktene på sakslisten til KG-møtet 10.02.2025
    Og "sekretariat" sender innkallingen til KG-møtet 10.02.2025
    Og "sekretariat" markerer KG-møtet 10.02.2025 som holdt
    Og "sekretariat" fører vedtaket "Protokollen godkjent" på sak "Sak 2" på KG-møtet 10.02.2025
    Så er protokollen fra KG-møtet 10.01.2025 godkjent og lagret som referat
    Når "sekretariat" legger åpningspunktene på sakslisten til styremøtet 08.03.2025
    Og "sekretariat" sender innkallingen til styremøtet 08.03.2025
    Så har innkallingen til styremøtet 08.03.2025 referatet fra KG-møtet 10.01.2025 som vedlegg med regel "R15"

  Scenario: R15 KG-referatet følger også innkallingen til interessepolitisk utvalg
    Gitt et KG-møte 12.11.2025 som er holdt med godkjent referat
    Og et møte i interessepolitisk utvalg 09.12.2025 med åpningspunktene på sakslisten
    Når "sekretariat" sender innkallingen til møtet i interessepolitisk utvalg 09.12.2025
    Så har innkallingen til møtet i interessepolitisk utvalg 09.12.2025 referatet fra KG-møtet 12.11.2025 som vedlegg med regel "R15"

  Scenario: R15 Planleggingen varsler når innkallingen gikk ut uten KG-referat
    Gitt et styremøte 08.12.2025 med åpningspunktene på sakslisten
    Når "sekretariat" sender innkallingen til styremøtet 08.12.2025
    Så varsler styremøtet 08.12.2025 med regel "R15"

  Scenario: R14 Referat fra en tverrgående arbeidsgruppe følger innkallingen til faggruppemøtet
    Gitt et møte i gruppe "kraft" 25.02.2025 som er holdt med godkjent referat
    Og et møte i gruppe "atp" 12.03.2025 med åpningspunktene på sakslisten
    Når "sekretariat" sender innkallingen til møtet i gruppe "atp" 12.03.2025
    Så har innkallingen til møtet i gruppe "atp" 12.03.2025 referatet fra møtet i gruppe "kraft" 25.02.2025 som vedlegg med regel "R14"

  Scenario: R14 gjelder faggrupper, ikke ad hoc-grupper
    Gitt et møte i gruppe "kraft" 25.02.2025 som er holdt med godkjent referat
    Og et møte i gruppe "ntp" 12.03.2025 med åpningspunktene på sakslisten
    Når "sekretariat" sender innkallingen til møtet i gruppe "ntp" 12.03.2025
    Så har innkallingen til møtet i gruppe "ntp" 12.03.2025 ingen vedlegg

  Scenario: R13 Faggruppens leder inviteres til KG-møtet når gruppens sak står på sakslisten
    Gitt en sak under forberedelse med saksframlegg
    Når "sekretariat" setter saken på sakslisten til KG-møtet
    Så er "atp-leder" invitert til KG-møtet med regel "R13"
    Og har saken status "advice_requested"
    Når "atp-leder" gir rådet "støtter med endringer"
    Så er rådet fra "atp-leder" registrert som innspill fra invitert leder

  Scenario: R13 Bare den inviterte lederen gir innspill, ikke gruppens øvrige medlemmer
    Gitt en sak under forberedelse med saksframlegg
    Når "sekretariat" setter saken på sakslisten til KG-møtet
    Og "atp" prøver å gi rådet "støtter"
    Så avvises steget med regel "R3"
    Og ingenting er registrert

  Abstrakt Scenario: R16 Planleggingen varsler når KG ikke møtes rundt to uker før styremøtet
    Gitt et styremøte 20.03.2098
    Og et KG-møte <dager> dager før styremøtet 20.03.2098
    Så <varsel> for styremøtet 20.03.2098

    Eksempler:
      | dager | varsel                 |
      | 5     | varsler planleggingen  |
      | 14    | er planleggingen i rute |
      | 26    | er planleggingen i rute |
      | 40    | varsler planleggingen  |

  Scenario: R16 Sekretariatets oversikt viser fristene for neste styremøte
    Gitt et styremøte 20.03.2098
    Og et KG-møte 14 dager før styremøtet 20.03.2098
    Så er neste styremøte etter 01.01.2098 den 20.03.2098 med KG-møte 06.03.2098
    Og fristen for KGs råd er 05.03.2098 og sakspapirene skal ut 13.03.2098

  Scenario: R17 Et forslag om tema og foredragsholder settes på sakslisten til representantskapet
    Gitt et forslag om tema og foredragsholder fra KG som sekretariatet har tatt til behandling
    Og et representantskapsmøte 05.06.2097
    Når "sekretariat" setter saken på sakslisten til representantskapsmøtet 05.06.2097
    Og "sekretariat" sender innkallingen til representantskapsmøtet 05.06.2097
    Så står saken som "Sak 1/97" på representantskapsmøtet 05.06.2097

  Scenario: R17 Et påvirkningsinitiativ settes på sakslisten til interessepolitisk utvalg
    Gitt et påvirkningsinitiativ fra KG som sekretariatet har tatt til behandling
    Og et møte i interessepolitisk utvalg 06.06.2097
    Når "sekretariat" setter saken på sakslisten til møtet i interessepolitisk utvalg 06.06.2097
    Og "sekretariat" sender innkallingen til møtet i interessepolitisk utvalg 06.06.2097
    Så står saken som "Sak 1/97" på møtet i interessepolitisk utvalg 06.06.2097

  Scenario: R17 Et forslag som ikke er tatt til behandling går ikke til et politisk organ
    Gitt et forslag om tema og foredragsholder fra KG
    Og et representantskapsmøte 05.06.2097
    Når "sekretariat" prøver å sette saken på sakslisten til representantskapsmøtet 05.06.2097
    Så avvises steget som ugyldig i sakens tilstand
    Og ingenting er registrert

  Scenario: R18 KG følger opp tiltakene per innsatsområde
    Gitt et tiltak "Felles innspill til NTP" under innsatsområdet "transport"
    Når "kg" melder tiltaket "i gang" med notatet "Startet i KG"
    Så står tiltaket "Felles innspill til NTP" som "in_progress" under "transport"
    Når "kg-obs" prøver å melde tiltaket "ferdig"
    Så avvises steget med regel "R9"

  Scenario: R20 Møteplanen viser den felles fagsamlingen i år uten BEST-konferansen
    Gitt at møteplanen for 2096 ikke har en felles fagsamling
    Så varsler møteplanen for 2096 med regel "R20"
    Når "sekretariat" planlegger en todagers felles fagsamling 10.09.2096
    Så viser møteplanen for 2096 fagsamlingen 10.09.2096 uten advarsler
    Og møteplanen for 2097 er et år med BEST-konferanse

  Scenario: R20 Felles faggruppedel når gruppene møtes fysisk
    Gitt et fysisk møte i gruppe "atp" 03.03.2096
    Og et fysisk møte i gruppe "kraft" 03.03.2096
    Så viser møteplanen for 2096 en forventet felles faggruppedel 03.03.2096
    Når "sekretariat" planlegger felles faggruppedel for "atp" og "kraft" 03.03.2096
    Så viser møteplanen for 2096 den planlagte felles faggruppedelen 03.03.2096
