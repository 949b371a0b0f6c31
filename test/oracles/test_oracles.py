"""Tests of the oracles' own rules (run with /usr/bin/python3 -m pytest)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import oracles  # noqa: E402


def classes_of(tmp_path: Path, files: dict[str, str]):
    paths = {}
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        paths[rel] = path
    return oracles._classes_by_name(paths)


ENGINES = {
    "db/engine.py": """
class Connectable:
    def connect(self):
        return self


class Engine(Connectable):
    def begin(self):
        return self.connect()


class MockConnection(Connectable):
    def __init__(self, dialect):
        self.dialect = dialect

    def execute(self, statement):
        return self.dialect.execute(statement)
""",
}


def test_an_attribute_no_class_of_the_chain_ever_had_is_set_apart(tmp_path):
    classes = classes_of(tmp_path, ENGINES)
    assert oracles.never_an_attribute(classes, "MockConnection", "begin")


def test_an_attribute_of_the_class_or_a_base_or_set_on_self_counts(tmp_path):
    classes = classes_of(tmp_path, ENGINES)
    assert not oracles.never_an_attribute(classes, "Engine", "begin")
    assert not oracles.never_an_attribute(classes, "MockConnection", "connect")
    assert not oracles.never_an_attribute(classes, "MockConnection", "dialect")


def test_a_base_outside_the_tree_or_a_class_with_dynamic_attributes_is_never_set_apart(tmp_path):
    classes = classes_of(tmp_path, {
        "app/models.py": """
import abc
from external import Base


class Model(Base):
    pass


class Lazy:
    def __getattr__(self, name):
        return name


class Meta(metaclass=abc.ABCMeta):
    pass


@register
class Decorated(Lazy):
    pass


@register
class Registered:
    pass
""",
    })
    assert not oracles.never_an_attribute(classes, "Model", "save")
    assert not oracles.never_an_attribute(classes, "Lazy", "save")
    assert not oracles.never_an_attribute(classes, "Meta", "save")
    assert not oracles.never_an_attribute(classes, "Decorated", "save")
    assert not oracles.never_an_attribute(classes, "Unknown", "save")
    # A decorator pyright evaluates as well: it does not hide a class's members.
    assert oracles.never_an_attribute(classes, "Registered", "save")


def test_every_class_of_the_name_must_lack_the_attribute(tmp_path):
    classes = classes_of(tmp_path, {
        "a.py": "class Client:\n    pass\n",
        "b.py": "class Client:\n    def send(self):\n        pass\n",
    })
    assert not oracles.never_an_attribute(classes, "Client", "send")
    assert oracles.never_an_attribute(classes, "Client", "receive")


def test_the_attribute_message_of_pyright_names_the_attribute_and_the_class():
    found = oracles._ATTRIBUTE_OF_CLASS.match('Cannot access attribute "begin" for class "MockConnection"')
    assert found and found.groups() == ("begin", "MockConnection")
    found = oracles._ATTRIBUTE_OF_CLASS.match('Cannot assign to attribute "pool" for class "MockConnection"')
    assert found and found.groups() == ("pool", "MockConnection")
    assert not oracles._ATTRIBUTE_OF_CLASS.match('Cannot access attribute "x" for class "type[Repo]"')


def test_object_is_never_set_apart(tmp_path):
    classes = classes_of(tmp_path, ENGINES)
    assert not oracles.never_an_attribute(classes, "object", "_fixture_teardown")


def test_a_method_removed_from_one_class_counts_though_another_keeps_its_name():
    before = oracles._parse(b"class Base:\n    def teardown(self):\n        pass\n\n\n"
                            b"class Case(Base):\n    def teardown(self):\n        super().teardown()\n")
    after = oracles._parse(b"class Base:\n    pass\n\n\n"
                           b"class Case(Base):\n    def teardown(self):\n        super().teardown()\n")
    lost = oracles._qualified_definitions(before) - oracles._qualified_definitions(after)
    assert lost == {"Base.teardown"}
    assert oracles.defined_names(before) == oracles.defined_names(after)
