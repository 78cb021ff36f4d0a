# language: no
Egenskap: Saksdokumenter
  Sekretariatet, og gruppen som foreslo saken, legger saksframlegg og vedlegg til en
  sak. Filen kjennes igjen på innholdet, ikke på navnet. Hver versjon beholdes med
  SHA-256, hvem, i hvilken rolle og når. Et avvist dokument registrerer ingenting.

  Bakgrunn:
    Gitt organisasjonen med KG, faggruppe ATP, NTP-gruppen og et styremøte

  Scenario: R1 Sekretariatet legger saksframlegget til saken, og en ny versjon beholder den gamle
    Gitt en sak under forberedelse med saksframlegg
    Når "sekretariat" legger til saksframlegget "saksframlegg.pdf"
    Og "sekretariat" laster opp en ny versjon av dokumentet
    Så har dokumentet 2 versjoner, hver med SHA-256, hvem og når
    Og den første versjonen kan fortsatt lastes ned

  Scenario: R1 Gruppen som foreslo saken, legger til vedlegg mens saken forberedes
    Gitt en sak foreslått av "atp" for faggruppe "atp"
    Når "atp" legger til vedlegget "innspill.pdf"
    Så har saken 1 dokument, lagt til i rollen "atp:member"

  Scenario: R1 Når saken er klar for styret, endrer bare sekretariatet dokumentene
    Gitt en sak klar for styret
    Når "atp" prøver å legge til vedlegget "sent.pdf"
    Så avvises steget med regel "R1"
    Og ingenting er registrert

  Scenario: R9 Observatører leser sakens dokumenter, men legger ikke til dokumenter
    Gitt en sak foreslått av "atp" for faggruppe "atp"
    Når "observator" prøver å legge til vedlegget "notat.pdf"
    Så avvises steget med regel "R9"
    Og ingenting er registrert

  Scenario: En fil som ikke er PDF, DOCX, ODT, XLSX, PNG eller JPEG avvises på feltet "file"
    Gitt en sak under forberedelse med saksframlegg
    Når "sekretariat" prøver å legge til vedlegget "notat.pdf" som bare er tekst
    Så avvises dokumentet på feltet "file"
    Og ingenting er registrert
