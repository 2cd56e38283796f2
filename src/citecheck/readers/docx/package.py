"""A .docx as a package: a ZIP of XML parts found through their relationships, each part
parsed safely (no entities, no network, a size cap), every failure one clear line."""

from __future__ import annotations

import io
import posixpath
import zipfile

from lxml import etree

from citecheck.errors import InputError

_NS_TRANSITIONAL = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_REL_NS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_MAX_PART = 256 * 1024 * 1024
"""An XML part larger than this once unzipped is a ZIP bomb, not a manuscript."""


class _Package:
    """The parts of a .docx, found through its relationships rather than fixed names."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name = name
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            names = set(self.zip.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise InputError(f"{name}: is not a readable .docx (damaged ZIP: {exc})") from None
        self.names = names
        main = self._main_part()
        if main is None:
            raise InputError(f"{name}: is a ZIP archive but not a Word document "
                             "(no word/document.xml)")
        self.main = main
        self.document = self.xml(main)
        if self.document is None:
            raise InputError(f"{name}: {main} is missing")
        root_ns = etree.QName(self.document).namespace
        self.w = root_ns if root_ns in (_NS_TRANSITIONAL, _NS_STRICT) else _NS_TRANSITIONAL
        self.rels = self.relationships(main)

    def _main_part(self) -> str | None:
        root = self.xml("_rels/.rels")
        if root is not None:
            for rel in root.iter(f"{{{_PKG_RELS}}}Relationship"):
                if rel.get("Type", "").endswith("/officeDocument"):
                    target = rel.get("Target", "").lstrip("/")
                    if target in self.names:
                        return target
        return "word/document.xml" if "word/document.xml" in self.names else None

    def read_bytes(self, part: str) -> bytes | None:
        if part not in self.names:
            return None
        info = self.zip.getinfo(part)
        if info.file_size > _MAX_PART:
            raise InputError(f"{self.name}: {part} unpacks to {info.file_size // 2**20} MB; "
                             "refusing it as a ZIP bomb")
        try:
            return self.zip.read(part)
        except RuntimeError as exc:  # zipfile's word for an encrypted member
            raise InputError(f"{self.name}: is password-protected ({exc})") from None
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise InputError(f"{self.name}: is not a readable .docx (damaged {part}: {exc})"
                             ) from None

    def xml(self, part: str) -> etree._Element | None:
        raw = self.read_bytes(part)
        if raw is None:
            return None
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True,
                                 remove_comments=True)
        try:
            return etree.fromstring(raw, parser)
        except etree.XMLSyntaxError as exc:
            raise InputError(f"{self.name}: {part} is not well-formed XML ({exc})") from None

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """id -> (type, target) for the part's relationships; internal targets as part
        names, external ones (hyperlinks) as written."""
        folder, base = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        rels: dict[str, tuple[str, str]] = {}
        if root is None:
            return rels
        for rel in root.iter(f"{{{_PKG_RELS}}}Relationship"):
            target = rel.get("Target", "")
            if rel.get("TargetMode") != "External":
                target = posixpath.normpath(posixpath.join(folder, target)).lstrip("/")
            rels[rel.get("Id", "")] = (rel.get("Type", ""), target)
        return rels

    def related(self, kind: str) -> str | None:
        for rel_type, target in self.rels.values():
            if rel_type.endswith("/" + kind):
                return target
        return None
