# language: no
Egenskap: Varsler på e-post, hver sendt én gang
  Varsleren følger den ene loggen med sin egen posisjon, bestemmer hvilke meldinger som
  skal sendes og registrerer dem i samme transaksjon, og sender dem til en ekte
  e-posttjener på maskinen. Meldingene er på bokmål med tider i Oslo-tid.

  Bakgrunn:
    Gitt organisasjonen med KG, faggruppe ATP, NTP-gruppen og et styremøte
    Og varsleren følger loggen og sender til en e-posttjener

  Scenario: R3 R9 Råd etterspurt: hvert KG-medlem som ikke er observatør får én melding
    Når "sekretariat" ber KG om råd i en sak fra "atp"
    Og varsleren har kjørt
    Så får "kg-leder", "kg" og "kg2" hver nøyaktig én melding som nevner sakens referanse
    Og "kg-obs" får ingen melding
    Når varsleren har kjørt
    Så er ingen flere meldinger sendt

  Scenario: R13 Den inviterte faggruppelederen får melding om å gi innspill
    Når "sekretariat" ber KG om råd i en sak fra "atp"
    Og varsleren har kjørt
    Så får "atp-leder" nøyaktig én melding der det står "Du er invitert som leder av faggruppen"

  Scenario: R3 Påminnelse før fristen til dem som ikke har svart
    Gitt at KG er bedt om råd i en sak fra "ntp" med frist om 14 dager
    Og "kg" har gitt rådet "støtter"
    Når det er 2 dager igjen til fristen
    Og varsleren har kjørt
    Så får "kg-leder" og "kg2" hver nøyaktig én melding som nevner "Påminnelse"
    Og "kg" får ingen melding

  Scenario: R6 Fristen er ute: sekretariatet får vite hvilke regioner som ikke har svart
    Gitt at KG er bedt om råd i en sak fra "ntp" med frist om 14 dager
    Og "kg" har gitt rådet "støtter"
    Når fristen er passert
    Og varsleren har kjørt
    Så får "sekretariat" nøyaktig én melding der det står "Asker og Bærum regionråd"
    Og meldingen til "sekretariat" nevner ikke "Folloregionen"

  Scenario: R15 Innkallingen sendt: mottakerne får melding med lenke og kalenderfil i Oslo-tid
    Når "sekretariat" sender innkallingen til KG-møtet
    Og varsleren har kjørt
    Så får "kg" nøyaktig én melding der det står "/pack"
    Og meldingen til "kg" har en kalenderfil med starttid i Europe/Oslo

  Scenario: R2 Tilleggsinnkallingen sendt: styrets medlemmer får melding
    Gitt styremedlemmet "styre" og en innkalling sendt til styremøtet
    Når en sak fremmes for styremøtet etter innkallingen og tilleggsinnkallingen sendes
    Og varsleren har kjørt
    Så får "styre" nøyaktig én melding som nevner "Tilleggsinnkalling"

  Scenario: R1 Sak avvist: forslagsgruppens leder får melding med begrunnelsen
    Gitt en sak foreslått av "atp" for faggruppe "atp"
    Når "sekretariat" avviser saken med begrunnelsen "Utenfor mandatet"
    Og varsleren har kjørt
    Så får "atp-leder" nøyaktig én melding der det står "Utenfor mandatet"
    Og "atp" får ingen melding

  Scenario: R8 Medlemskap lagt til og avsluttet: personen får melding
    Gitt en ny person "ny" fra "Asker"
    Når "ny" legges til i gruppe "atp"
    Og "ny" fjernes fra gruppe "atp"
    Og varsleren har kjørt
    Så får "ny" nøyaktig én melding som nevner "Du er lagt til i"
    Og "ny" får nøyaktig én melding som nevner "avsluttet"

  Scenario: Avmelding med ett klikk stopper meldinger av den typen
    Gitt at "kg" har meldt seg av med lenken i en melding om råd
    Når "sekretariat" ber KG om råd i en sak fra "atp"
    Og varsleren har kjørt
    Så får "kg" ingen ny melding
