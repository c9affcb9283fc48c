module odd.top

entitty Typo "Typo":
  id: uuid pk

use late.module

entity Real:
  id: uuid pk
