module t.core
app t "T":
  security_profile: standard

persona admin "Admin":
  description: "a"
persona member "Member":
  description: "m"

entity Report "Report":
  id: uuid pk
  is_private: bool = false
  owner: str(50)
  permit:
    list: role(admin) or role(membr)
    read: role(admin) or role(member)
  scope:
    list: all
      as: admin, super_admin
    list: owner = current_user
      as: member, auditr
