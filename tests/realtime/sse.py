"""A small Server-Sent Events reader for tests: parses the `text/event-stream` wire format."""

import asyncio
import json
from dataclasses import dataclass


@dataclass
class Message:
    id: str | None
    event: str | None
    data: str | None
    comment: bool = False

    @property
    def json(self):
        return json.loads(self.data)


def parse_block(block: str) -> Message:
    fields: dict[str, list[str]] = {}
    comment = False
    for line in block.split("\n"):
        if line.startswith(":"):
            comment = True
            continue
        name, _, value = line.partition(":")
        fields.setdefault(name, []).append(value[1:] if value.startswith(" ") else value)
    data = "\n".join(fields["data"]) if "data" in fields else None
    return Message(id=fields.get("id", [None])[-1], event=fields.get("event", [None])[-1], data=data, comment=comment)


class Reader:
    """Reads blocks from a Django streaming response (async iterator of str or bytes chunks)."""

    def __init__(self, response):
        self.iterator = aiter(response.streaming_content)
        self.pending = ""

    async def next_block(self, timeout: float = 10.0) -> Message:
        while "\n\n" not in self.pending:
            chunk = await asyncio.wait_for(anext(self.iterator), timeout)
            self.pending += chunk.decode() if isinstance(chunk, bytes) else chunk
        block, self.pending = self.pending.split("\n\n", 1)
        return parse_block(block)

    async def data_messages(self, count: int, timeout: float = 10.0) -> list[Message]:
        """The next `count` messages that carry data (skipping keep-alives and id-only blocks)."""
        found: list[Message] = []
        while len(found) < count:
            message = await self.next_block(timeout)
            if message.data is not None:
                found.append(message)
        return found

    async def close(self) -> None:
        await self.iterator.aclose()
