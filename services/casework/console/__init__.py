"""The team console: a static web app (index.html, static/) casework serves at /console/."""
