"""nnlib: the small NumPy neural-network library taught by the book.

The names follow the paper's notation (see ``book/notation.md``)::

    from nnlib import Network, train

    net = Network([4, 2, 1], activation="sigmoid", loss="logistic", seed=0)
    fw = net.forward(X)            # fw.z[k], fw.h[k] for k = 1 .. L+1
    grads = net.backward(fw, Y)    # grads.dz[k], grads.dW[k]
    history = train(net, X, Y, lr=0.5, epochs=200, batch_size=1, seed=0)
    history.running_cost           # per epoch, the mean of the minibatch costs met on the way
    net.cost(X, Y)                 # J of the whole training set now
    train(net, X, Y, lr=0.5, epochs=20, exact_cost=True).cost   # J after each epoch

``train`` runs the same steps as ``train_plain``, the plain loop the book teaches
(forward, backward, step per minibatch), in place and faster.

Only NumPy is imported here; ``nnlib.symbolic`` (SymPy), ``nnlib.plotting``
(matplotlib) and ``nnlib.explorer`` (matplotlib, ipywidgets) load their libraries
when imported themselves.
"""

from .activations import ACTIVATIONS, Activation, get_activation
from .gradcheck import GradCheck, gradcheck, relative_error
from .layers import Forward, Gradients, Layers
from .losses import LOSSES, Loss, get_loss
from .network import Network
from .training import History, train, train_plain

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "Activation",
    "Forward",
    "GradCheck",
    "Gradients",
    "History",
    "Layers",
    "Loss",
    "Network",
    "get_activation",
    "get_loss",
    "gradcheck",
    "relative_error",
    "train",
    "train_plain",
]

__version__ = "0.1.0"
