"""RabbitMQ as Netra uses it: topology as code, confirmed publishing, retrying consumers."""
