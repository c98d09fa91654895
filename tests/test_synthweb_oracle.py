"""The shipped synthweb world is consistent: a scripted oracle that follows each question's relation chain, reading every
name and value from the real tools' results inside the real agent loop, answers all default questions correctly at every
budget of at least the question's hop count, using exactly that many calls, and cannot answer one call short.

Also checks that the shipped files are what the generator makes, that every reference agrees with a walk over the world's
records (independent of the pages), that each chain entity is found first by a search for its name, and that a broken
world makes the oracle fail."""
import json, time

import pytest

from mirothinker.loop.agent import Agent
from mirothinker.tasks.synthweb import ATTRIBUTES, BASE_URL, World, answer_matches, generate_world, load_questions, load_world, make_questions, render_pages, slug, synthweb_tasks, web_tools
from mirothinker.studies.solvers import OracleModel

BUDGETS = lambda h: (h - 1, h, h + 1, 600)


@pytest.fixture(scope="module")
def world():
    return load_world()


@pytest.fixture(scope="module")
def questions():
    return load_questions()


@pytest.fixture(scope="module")
def tools(world):
    from mirothinker.tools.search import BM25Corpus
    t0 = time.perf_counter(); pages = render_pages(world); t1 = time.perf_counter(); BM25Corpus(pages); t2 = time.perf_counter()
    print(f"\n{len(pages)} pages rendered in {t1 - t0:.2f} s, indexed in {t2 - t1:.2f} s")
    return web_tools(world)


def ran_calls(traj):
    "Tool calls that actually ran (not refused for the budget)."
    return sum(s.tool_call is not None and not s.over_budget for s in traj.steps)


def walk(world: World, task) -> str:
    "The answer by walking the world's records along the chain (no pages involved)."
    ch, comp = task.metadata["chain"], task.metadata["computation"]
    ents = [world.by_name(ch["start"]["name"])]
    for rel in ch["relations"]: ents.append(world.entities[ents[-1].links[rel]])
    end = ch["end"]
    if comp:
        ys = [ents[i].facts[a] for i, a in comp["reads"]]
        return str(comp["year"] - ys[0] if comp["op"] == "years_before" else abs(ys[1] - ys[0]))
    if end["type"] == "relation": return world.entities[ents[-1].links[end["fact"]]].name
    return str(ents[-1].facts[end["fact"]])


def test_shipped_files_match_the_generator(world, questions):
    assert world == generate_world(0, name="default")
    assert questions == make_questions(world, 60, max_hops=6, seed=0)
    assert synthweb_tasks() == questions


def test_questions(world, questions):
    assert len(questions) == 60 and len({t.question for t in questions}) == 60
    assert sorted(t.metadata["hops"] for t in questions) == sorted(list(range(1, 7)) * 10)
    for t in questions:
        m = t.metadata
        assert (t.source, t.tools, t.scorer, m["suite"], m["world"]) == ("synthweb", ["synthweb"], "normalized", "synthweb", "default")
        assert m["min_calls"] == m["hops"] == len(m["chain"]["pages"]) == len(m["chain"]["relations"]) + 1
        assert [p["url"] for p in m["chain"]["pages"]] == [BASE_URL + slug(p["name"]) for p in m["chain"]["pages"]]
        assert t.reference == walk(world, t), t.id
        assert len({p["url"] for p in m["chain"]["pages"]}) == m["hops"]          # no entity visited twice
    assert sum(t.metadata["computation"] is not None for t in questions) == 18


def test_chain_entities_found_first_by_name(questions, tools):
    search = tools[0]
    for t in questions:
        for p in t.metadata["chain"]["pages"]:
            hits = json.loads(search({"q": p["name"]}).content)["organic"]
            assert hits[0]["link"] == p["url"], (t.id, p["name"], hits[0]["link"])


def test_oracle_scores_100_percent_at_every_budget_from_the_hop_count(questions, tools):
    try: from mirothinker.tasks import score
    except ImportError: score = None
    oracle, t0, runs = OracleModel(questions), time.perf_counter(), 0
    for t in questions:
        h = t.metadata["hops"]
        for b in BUDGETS(h):
            traj = Agent(oracle, tools, budget=b).run(t)
            runs += 1
            ok = answer_matches(traj.outcome.answer, t.reference)
            if b >= h:
                assert (ok, ran_calls(traj)) == (True, h), (t.id, b, traj.outcome)
                assert [c.arguments["url"] for c in traj.calls] == [p["url"] for p in t.metadata["chain"]["pages"]]
                if score is not None: assert score(traj.outcome.answer, t).correct, (t.id, traj.outcome.answer)
            else:
                assert (ok, traj.outcome.answer, ran_calls(traj)) == (False, None, h - 1), (t.id, b, traj.outcome)
    print(f"\n{runs} oracle runs in {time.perf_counter() - t0:.2f} s")


def test_a_broken_world_fails_the_oracle(world, questions):
    "Point one link on one page of each of a few chains elsewhere: the oracle must no longer answer correctly."
    failed = 0
    for t in [q for q in questions if q.metadata["hops"] >= 3][:6]:
        ch = t.metadata["chain"]
        broken = world.model_copy(deep=True)
        e = broken.by_name(ch["pages"][1]["name"])
        rel = ch["relations"][1]
        others = [x.id for x in broken.real(broken.entities[e.links[rel]].kind) if x.id != e.links[rel]]
        e.links[rel] = others[0]                          # the page now points elsewhere
        traj = Agent(OracleModel(t), web_tools(broken), budget=20).run(t)
        wrong = not answer_matches(traj.outcome.answer, t.reference)
        assert wrong or walk(broken, t) == t.reference, t.id      # right only where the new chain happens to give the same answer
        failed += wrong
    assert failed >= 5


def test_bad_world_file_names_the_field(tmp_path, world):
    d = json.loads(world.model_dump_json())
    first = next(iter(d["entities"]))
    d["entities"][first]["facts"].pop(next(iter(ATTRIBUTES[d["entities"][first]["kind"]])))
    (tmp_path / "world.json").write_text(json.dumps(d))
    with pytest.raises(ValueError, match=rf"world.json: entities\.{first}\.facts\."):
        load_world(tmp_path)
    (tmp_path / "world.json").write_text('{"name": "x", "seed": "zero"}')
    with pytest.raises(ValueError, match=r"world.json: field seed"):
        load_world(tmp_path / "world.json")
    with pytest.raises(FileNotFoundError, match="no such world file"):
        load_world(tmp_path / "nowhere.json")
