"""The one domain error every app's workflow raises when the rules refuse a change.

It sits beside the settings, below every app, so that planning, proposals and forums raise the
same class and a view needs one `except`. str(error) is the message for the user, already in
their language.
"""


class WorkflowError(Exception):
    """A change the rules refuse; str(error) is the message for the user."""
