module crlf.checks

entity Crlf "Crlf":
  id: uuid pk

  name: str(10)
  
  note: text