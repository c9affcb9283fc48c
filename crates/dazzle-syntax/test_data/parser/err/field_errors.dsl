module errs.fields

entity Broken "Broken":
  id uuid pk
  title:
  name: string(100)
  code: str
  level: enum low, high
  price: decimal
  count: int requird
  delta: int = -1
  kind: str(20)
  size: str(10) pii(category=contact
  soft_delete: true
  ok_after_errors: str(10) required
