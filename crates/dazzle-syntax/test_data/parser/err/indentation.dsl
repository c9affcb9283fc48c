module errs.indent

entity Task:
    id: uuid pk
    title: str(10)
  note: text
    done: bool

entity Next:
  id: uuid pk
      stray: int
