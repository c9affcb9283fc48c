module t.core
app t "T":
  security_profile: strcit
  multi_tenant: yes
  rate_limit: 100

persona admin "Admin":
  description: "a"
  role: superuser

policies:
  classify Person.email as pii_drect retention: forever
  classify Person.phone as pii_direct
  erasure Person: shred

entity Person "Person":
  id: uuid pk
  email: email pii
  phone: str(30)
  home_address: text
  email_verified: bool
  audit: all
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

entity Order "Order":
  id: uuid pk
  buyer: ref Persn
  audit: all
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

surface order_list "Orders":
  uses entity Ordr
  mode: list
