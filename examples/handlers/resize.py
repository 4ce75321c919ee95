import io
import os

from PIL import Image


def main(event):
    image = Image.open(io.BytesIO(event["body"]))
    image.thumbnail((int(os.environ["MAX_WIDTH"]), int(os.environ["MAX_WIDTH"])))
    out = io.BytesIO()
    image.save(out, format="WEBP")
    return out.getvalue()
