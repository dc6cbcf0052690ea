"""Telegram updates as Telegram posts them to a webhook (Bot API 6.x shapes)."""

from __future__ import annotations

import itertools
import time
from typing import Any, Dict, Optional

_update_ids = itertools.count(880000001)
_message_ids = itertools.count(101)


def _person(user_id: int) -> Dict[str, Any]:
    return {
        "id": user_id,
        "is_bot": False,
        "first_name": "Sam",
        "last_name": "Patient",
        "username": f"sam_{user_id}",
        "language_code": "en",
    }


def _private_chat(user_id: int) -> Dict[str, Any]:
    return {"id": user_id, "first_name": "Sam", "last_name": "Patient", "username": f"sam_{user_id}", "type": "private"}


def _message(user_id: int, chat: Optional[Dict[str, Any]] = None, **content: Any) -> Dict[str, Any]:
    return {
        "message_id": next(_message_ids),
        "from": _person(user_id),
        "chat": chat or _private_chat(user_id),
        "date": int(time.time()),
        **content,
    }


def text_update(user_id: int, text: str) -> Dict[str, Any]:
    """A person typing ``text`` in a private chat."""
    entities = [{"offset": 0, "length": len(text.split()[0]), "type": "bot_command"}] if text.startswith("/") else None
    content: Dict[str, Any] = {"text": text}
    if entities:
        content["entities"] = entities
    return {"update_id": next(_update_ids), "message": _message(user_id, **content)}


def edited_text_update(user_id: int, text: str) -> Dict[str, Any]:
    """A person editing an earlier message to ``text``."""
    message = _message(user_id, text=text)
    message["edit_date"] = message["date"] + 30
    return {"update_id": next(_update_ids), "edited_message": message}


def button_update(user_id: int, data: str, button_text: str = "Which symptoms are serious?") -> Dict[str, Any]:
    """A person pressing an inline keyboard button whose ``callback_data`` is ``data``."""
    bot_message = {
        "message_id": next(_message_ids),
        "from": {"id": 123456, "is_bot": True, "first_name": "Insole test", "username": "insole_test_bot"},
        "chat": _private_chat(user_id),
        "date": int(time.time()),
        "text": "Hi, I'm an automated assistant...",
        "reply_markup": {"inline_keyboard": [[{"text": button_text, "callback_data": data}]]},
    }
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": str(4382000000000000000 + user_id),
            "from": _person(user_id),
            "message": bot_message,
            "chat_instance": "-7785334117447290000",
            "data": data,
        },
    }


def photo_update(user_id: int, caption: Optional[str] = None) -> Dict[str, Any]:
    """A photo of a foot, optionally with a caption."""
    content: Dict[str, Any] = {
        "photo": [
            {
                "file_id": "AgACAgQAAxkBAAIBY2V",
                "file_unique_id": "AQADrb4xG1",
                "file_size": 1403,
                "width": 90,
                "height": 67,
            },
            {
                "file_id": "AgACAgQAAxkBAAIBY2W",
                "file_unique_id": "AQADrb4xG2",
                "file_size": 82731,
                "width": 1280,
                "height": 960,
            },
        ]
    }
    if caption is not None:
        content["caption"] = caption
    return {"update_id": next(_update_ids), "message": _message(user_id, **content)}


def sticker_update(user_id: int) -> Dict[str, Any]:
    """An animated sticker."""
    return {
        "update_id": next(_update_ids),
        "message": _message(
            user_id,
            sticker={
                "width": 512,
                "height": 512,
                "emoji": "😢",
                "set_name": "HotCherry",
                "is_animated": True,
                "is_video": False,
                "type": "regular",
                "file_id": "CAACAgIAAxkBAAIBZ2V",
                "file_unique_id": "AgADVQADr8ZRGg",
                "file_size": 21458,
            },
        ),
    }


def voice_update(user_id: int) -> Dict[str, Any]:
    """A four-second voice message."""
    return {
        "update_id": next(_update_ids),
        "message": _message(
            user_id,
            voice={
                "duration": 4,
                "mime_type": "audio/ogg",
                "file_id": "AwACAgQAAxkBAAIBaGV",
                "file_unique_id": "AgADxxx",
                "file_size": 13420,
            },
        ),
    }


def location_update(user_id: int) -> Dict[str, Any]:
    """A shared location."""
    return {
        "update_id": next(_update_ids),
        "message": _message(user_id, location={"latitude": 51.507351, "longitude": -0.127758}),
    }


def document_update(user_id: int) -> Dict[str, Any]:
    """A PDF file."""
    return {
        "update_id": next(_update_ids),
        "message": _message(
            user_id,
            document={
                "file_name": "mri_report.pdf",
                "mime_type": "application/pdf",
                "file_id": "BQACAgQAAxkBAAIBaWV",
                "file_unique_id": "AgADyyy",
                "file_size": 184220,
            },
        ),
    }


def group_text_update(user_id: int, text: str, chat_id: int = -1001234567890) -> Dict[str, Any]:
    """A message in a supergroup the bot is a member of."""
    chat = {"id": chat_id, "title": "Running club", "type": "supergroup"}
    return {"update_id": next(_update_ids), "message": _message(user_id, chat=chat, text=text)}


def chat_member_update(user_id: int) -> Dict[str, Any]:
    """The person blocking the bot."""
    return {
        "update_id": next(_update_ids),
        "my_chat_member": {
            "chat": _private_chat(user_id),
            "from": _person(user_id),
            "date": int(time.time()),
            "old_chat_member": {
                "user": {"id": 123456, "is_bot": True, "first_name": "Insole test"},
                "status": "member",
            },
            "new_chat_member": {
                "user": {"id": 123456, "is_bot": True, "first_name": "Insole test"},
                "status": "kicked",
                "until_date": 0,
            },
        },
    }
