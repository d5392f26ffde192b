"""The API's documentation pages load everything they need from this server, so they work on a
machine without internet (the browser test renders them with every other host blocked)."""

import re

import pytest
from httpx import AsyncClient


@pytest.mark.parametrize(("page", "title"), [("/docs", "Swagger UI"), ("/redoc", "ReDoc")])
async def test_docs_pages_load_their_assets_from_this_server(
    client: AsyncClient, page: str, title: str
) -> None:
    response = await client.get(page)
    assert response.status_code == 200
    assert title in response.text
    assets = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert assets
    for url in assets:
        assert url.startswith("/"), f"{page} loads {url} from elsewhere"
        asset = await client.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 1000, url
