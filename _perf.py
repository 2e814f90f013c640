import time, games
from games.learning import simulate, QLearning
g = games.catalog.prisoners_dilemma()
simulate(g, QLearning(beta=1e-5), periods=1000, sessions=1, seed=0, window=1000)
for sessions, periods in [(1, 2_000_000), (1000, 20_000)]:
    t = time.perf_counter()
    simulate(g, QLearning(beta=1e-5), periods=periods, sessions=sessions, seed=0, window=periods // 10, executor="serial", progress=False)
    dt = time.perf_counter() - t
    print(sessions, periods, dt, dt / (sessions * periods) * 1e6, "us/period")
