"""Every command-line tool speaks Indonesian, click's and argparse's own words too ("Usage:",
"Show this message and exit.", "Missing option ..."): the team reads the help, not a mix.

click and argparse take their words from `gettext.gettext` / `gettext.ngettext`, which look them up
through `gettext.dgettext` / `gettext.dngettext` at each call; `speak_indonesian()` puts a lookup in
this table in front of those, in the process of a command-line tool only (never in a service). A
word not in the table stays as it is."""

from __future__ import annotations

import gettext

import click

WORDS = {
    "Usage:": "Pemakaian:",
    "Options": "Opsi",
    "Commands": "Perintah",
    "Positional arguments": "Argumen",
    "Show this message and exit.": "Tampilkan bantuan ini lalu keluar.",
    "Show the version and exit.": "Tampilkan versi lalu keluar.",
    "Confirm the action without prompting.": "Setujui tanpa ditanya.",
    "Do you want to continue?": "Lanjutkan?",
    "Aborted!": "Dibatalkan.",
    "Error: {message}": "Galat: {message}",
    "Try '{command} {option}' for help.": "Coba '{command} {option}' untuk bantuan.",
    "Missing command.": "Perintah belum disebut.",
    "Missing argument": "Argumen belum diisi",
    "Missing option": "Opsi belum diisi",
    "Missing parameter": "Parameter belum diisi",
    "Missing parameter: {param_name}": "Parameter belum diisi: {param_name}",
    "Invalid value for {param_hint}: {message}": "Nilai {param_hint} tidak sah: {message}",
    "Invalid value: {message}": "Nilai tidak sah: {message}",
    "No such command {name!r}.": "Tidak ada perintah {name!r}.",
    "No such option {name!r}.": "Tidak ada opsi {name!r}.",
    "Option {name!r} does not take a value.": "Opsi {name!r} tidak menerima nilai.",
    "Did you mean {possibility}?": "Maksudnya {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Maksudnya salah satu dari: {possibilities}?)",
    "Option {name!r} requires an argument.": "Opsi {name!r} perlu satu nilai.",
    "Option {name!r} requires {nargs} arguments.": "Opsi {name!r} perlu {nargs} nilai.",
    "Got unexpected extra argument ({args})": "Ada argumen lebih yang tidak dikenal ({args})",
    "Got unexpected extra arguments ({args})": "Ada argumen lebih yang tidak dikenal ({args})",
    "{value!r} is not {choice}.": "{value!r} bukan {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} bukan salah satu dari {choices}.",
    "{value!r} is not a valid {number_type}.": "{value!r} bukan {number_type} yang sah.",
    "{value} is not in the range {range}.": "{value} di luar rentang {range}.",
    "{value!r} is not a valid UUID.": "{value!r} bukan UUID yang sah.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} tidak ada.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} adalah folder.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} tidak bisa ditulisi.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} tidak bisa dibaca.",
    "default: {default}": "bawaan: {default}",
    "env var: {var}": "variabel lingkungan: {var}",
    "required": "wajib",
    "file": "berkas",
    "directory": "folder",
    "path": "jalur",
    "Repeat for confirmation": "Ulangi untuk memastikan",
    "Error: The two entered values do not match.": "Galat: kedua isian tidak sama.",
    # argparse (netra-migrate)
    "usage: ": "pemakaian: ",
    "positional arguments": "argumen",
    "options": "opsi",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "the following arguments are required: %s": "argumen berikut wajib diisi: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "pilihan tidak sah: %(value)r (pilih dari %(choices)s)",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: galat: %(message)s\n",
}

_original_dgettext = gettext.dgettext
_original_dngettext = gettext.dngettext


def _dgettext(domain, message):
    return WORDS.get(message) or _original_dgettext(domain, message)


def _dngettext(domain, singular, plural, n):
    chosen = _original_dngettext(domain, singular, plural, n)
    return WORDS.get(chosen, chosen)


def speak_indonesian() -> None:
    """From now on, this process's click and argparse words are Indonesian."""
    gettext.dgettext = _dgettext
    gettext.dngettext = _dngettext


class IndonesianGroup(click.Group):
    """A click group whose own words are Indonesian from the moment it runs as a program."""

    def main(self, *args, **kwargs):
        speak_indonesian()
        return super().main(*args, **kwargs)


class IndonesianCommand(click.Command):
    """A single click command that speaks Indonesian when it runs as a program."""

    def main(self, *args, **kwargs):
        speak_indonesian()
        return super().main(*args, **kwargs)
