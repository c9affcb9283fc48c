module errs.lex

entity Lex "Lex":
  id: uuid pk ; extra
  at: str(10) @home
  bang: bool = !true
  title: str(20) = "unterminated
  after: int
