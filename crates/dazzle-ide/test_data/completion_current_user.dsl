# Completion after `current_user.`: `id`, the attributes the project already uses (`team`,
# `region`, written after `current_user.` on other lines and files) and the fields of the
# `User` entity. The cursor sits right after the dot.
module t.core

persona member "Member":
  description: "A team member"

entity Ticket "Ticket":
  id: uuid pk
  team: str(50)
  owner: ref User

  permit:
    list: role(member)
    read: role(member)

  scope:
    list: team = current_user.team
      as: member
    read: owner = current_user.$0
      as: member

entity User "User":
  id: uuid pk
  email: email unique
  team: str(50)
#- file: regions.dsl
module t.regions

entity Site "Site":
  id: uuid pk
  region: str(20)

  permit:
    list: role(member)

  scope:
    list: region = current_user.region
      as: member
