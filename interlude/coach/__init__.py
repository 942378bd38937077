"""The I-statement coach: spots blame patterns in a draft and offers the I feel… when… frame."""
