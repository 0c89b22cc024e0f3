"""`make cluster`: the production topology as real processes on this one machine (issue 17).

Three RabbitMQ nodes in one cluster, PostgreSQL primary plus streaming standby, SeaweedFS as
master, three volume servers, filer and S3, two replicas of every service and Debian's nginx in
front of the public doors. docs/decisions/0028-a-cluster-on-one-machine.md says why it is built so.
"""
