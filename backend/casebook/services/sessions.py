"""Sign-in sessions end on the server: each carries its user's session epoch, and raising the epoch (sign
out, password change, removal from an organisation) makes every saved cookie of that user worthless."""

from __future__ import annotations

from casebook.db.tables import User


async def session_epoch(user_id: int) -> int | None:
    """The epoch a live session of the user must carry; None for an unknown or inactive user."""
    row = await User.select(User.session_epoch).where((User.id == user_id) & (User.active == True)).first()  # noqa: E712
    return None if row is None else row["session_epoch"]


async def end_sessions(user_id: int) -> None:
    """Ends every session of the user (runs inside the caller's transaction, if any)."""
    await User.update({User.session_epoch: User.session_epoch + 1}).where(User.id == user_id)
