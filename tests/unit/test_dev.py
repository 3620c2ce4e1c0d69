"""dev.py's own logic: the address it prints is the port the app serves on."""

import dev


def test_the_port_printed_is_the_one_given():
    assert dev.port_of([]) is None
    assert dev.port_of(["--server.port", "8611"]) == "8611"
    assert dev.port_of(["--server.port=8612", "--server.headless", "true"]) == "8612"
    assert dev.port_of(["--server.port", "8611", "--server.port=8613"]) == "8613"  # the last one, as Streamlit
    assert dev.port_of(["--server.address", "0.0.0.0"]) is None
