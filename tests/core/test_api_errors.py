from mueve.core.api.errors import schema_error_message


def test_a_value_outside_a_fixed_set_names_the_values_in_spanish():
    error = {"type": "literal_error", "ctx": {"expected": "'walk' or 'ride'"}, "msg": "Input should be..."}
    assert schema_error_message(error) == "Valor no permitido. Use: walk, ride."
    error = {"type": "enum", "ctx": {"expected": "'a', 'b' or 'c'"}, "msg": "Input should be 'a', 'b' or 'c'"}
    assert schema_error_message(error) == "Valor no permitido. Use: a, b, c."
