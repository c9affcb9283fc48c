module t.core
app t "T":
  security_profile: standard

persona admin "Admin":
  description: "a"
persona member "Member":
  description: "m"

entity Score "Score":
  id: uuid pk
  points: int
  bonus: int
  total: computed points + count(filter(bonus))
  grade: computed if points > 90 then bonus else points
  label: str(20) = points > 5 ? "high" : "low"
  invariant: points >= 0 or lambda(points)
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

process tally "Tally":
  steps:
    - step add:
        service: adder
  if points > 3:
    return bonus
  for each score in scores:
    total => bonus
  handler: do { x }
  block: {| x |}
