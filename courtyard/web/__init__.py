"""Request plumbing shared by every blueprint: form pages and fields, paging, caching, headers, error pages."""
