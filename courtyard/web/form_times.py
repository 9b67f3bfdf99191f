"""Date-times typed in Asia/Shanghai local time, stored as aware UTC."""

from datetime import timezone

from wtforms import DateTimeLocalField
from courtyard.localtime import LOCAL_ZONE



class LocalDateTimeField(DateTimeLocalField):
    """A ``datetime-local`` input read as Shanghai time; ``data`` is aware UTC."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format="%Y-%m-%dT%H:%M", **kwargs)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None:
            self.data = self.data.replace(tzinfo=LOCAL_ZONE).astimezone(timezone.utc)

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return self.data.astimezone(LOCAL_ZONE).strftime(self.format[0]) if self.data else ""
