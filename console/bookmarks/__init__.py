"""*Đánh dấu*: named, tagged, annotated time ranges of a camera's recordings (no Qt)."""
