module errs.headers

entity Task "Task"
  id: uuid pk

entity list:
  id: uuid pk

archetype Stamped "Stamped":
  created_at: datetime

entity Empty:

story ST-002:
  persona: user

grant_schema delegation:
  scope: team

surface after_error "Still parsed":
  uses entity Task
