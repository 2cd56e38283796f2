"""The online link checker: the only async code in citecheck and the only code that imports httpx."""
