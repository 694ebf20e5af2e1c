"""信酬制: the owner's compound, one month — income, spending and the balance; each category's
total as a bar (Kivy rectangles, the largest full width; 收/支 in words, not by colour alone); the
entries; earlier and later months; print the statement."""

from __future__ import annotations

from typing import Any

from kivy.graphics import Color, Rectangle
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.i18n import N_, _, translator
from kiosk.records import AccountsMonth, CategoryBar
from kiosk.ui import theme
from kiosk.ui.style import S
from kiosk.ui.widgets import KioskButton, KLabel

from .choices import ChoicesScreen


class Bar(Widget):
    """A bar as long as ``share`` (0-1) of its width."""

    def __init__(self, share: float, income: bool, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.share = share
        with self.canvas:
            Color(rgba=S.success if income else S.primary)
            self._rect = Rectangle()
        self.bind(pos=self._draw, size=self._draw)

    def _draw(self, *_args: Any) -> None:
        margin = self.height * 0.2
        self._rect.pos = (self.x, self.y + margin)
        self._rect.size = (max(self.width * self.share, 2), self.height - 2 * margin)


def bar_row(bar: CategoryBar) -> BoxLayout:
    income = bar.direction == "income"
    row = BoxLayout(size_hint_y=None, height=theme.px(56), spacing=theme.px(16))
    word = _("Income") if income else _("Spending")
    row.add_widget(KLabel(aid=f"bar_{bar.direction}_{bar.category}", size_hint_x=0.5,
                          text=f"{word} · {bar.category} · {bar.total}"))
    row.add_widget(Bar(bar.bar / 20, income, size_hint_x=0.5))
    return row


class AccountsScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (1, 1)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Open accounts of your compound")
        self._buttons: dict[str, KioskButton] = {}
        journey = self.flow.accounts
        for aid, action in (("accounts_earlier", lambda: journey.other_month(1)),
                            ("accounts_later", lambda: journey.other_month(-1)),
                            ("accounts_print", journey.print_statement)):
            button = KioskButton(aid=aid, kind="primary" if aid == "accounts_print" else "secondary")
            button.bind(on_release=lambda _b, act=action: act())
            self.ids.footer.add_widget(button)
            self._buttons[aid] = button

    def render(self) -> None:
        draft = self.flow.state.accounts
        month = draft.month
        if month is None:
            return
        self.ids.prompt.text = _("{compound}, {month}").format(compound=translator.pick(month.name),
                                                               month=month.month)
        said = _("Income {income} · Spending {expense} · Balance {balance}").format(
            income=month.income, expense=month.expense, balance=month.balance)
        if draft.printed:
            said = _("The statement is printed. Please take it.")
        elif draft.print_problem is not None:
            said = _("The statement could not be printed: {why}").format(
                why=translator.pick(draft.print_problem))
        self.ids.note.text = said
        buttons = self._buttons
        buttons["accounts_earlier"].text = _("Earlier month")
        buttons["accounts_later"].text = _("Later month")
        buttons["accounts_print"].text = _("Print the statement")
        buttons["accounts_earlier"].disabled = not self.flow.accounts.can_move(1)
        buttons["accounts_later"].disabled = not self.flow.accounts.can_move(-1)
        self.rebuild_if((month.compound, month.month), lambda: self._build(month))

    def _build(self, month: AccountsMonth) -> None:
        grid = self.ids.grid
        grid.add_widget(KLabel(aid="accounts_opening", size_hint_y=None,
                               text=_("Carried over from last month: {amount}").format(
                                   amount=month.opening_balance)))
        for bar in month.bars:
            grid.add_widget(bar_row(bar))
        grid.add_widget(KLabel(aid="accounts_entries", style="large", size_hint_y=None,
                               text=_("Entries")))
        for n, entry in enumerate(month.entries):
            word = _("Income") if entry.direction == "income" else _("Spending")
            note = _(" (corrected later)") if entry.corrected else ""
            grid.add_widget(KLabel(aid=f"entry_{n}", size_hint_y=None,
                                   text=f"{entry.date} · {entry.category} · {word} {entry.amount} · "
                                        f"{entry.voucher}{note}"))
