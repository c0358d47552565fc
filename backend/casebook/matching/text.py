"""The text facet: TF-IDF on words and on character n-grams, and a latent semantic space (LSA).

Words find shared vocabulary; character n-grams catch morphology ("steelworks" ~ "steel",
"distrust" ~ "mistrust"); TruncatedSVD over both folds co-occurring terms together, so
"mistrust between the steel company and residents" lands near "deadlock between AMZ and EcoForum".
A model is fitted only on the cases one access scope may read (see index.py): statistics never
cross tenants.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

LSA_DIMENSIONS = 128
CHAR_LIMIT = 1200  # characters of each document the n-gram analyser reads (cost grows with it)
WORD_SHARE = 0.5  # text similarity = WORD_SHARE * word cosine + (1 - WORD_SHARE) * latent cosine
CHAR_SHARE = 0.5  # weight of the character block against the word block inside the latent space
TOKENS = r"(?u)\b[^\W\d_][^\W\d_]+\b"


def _word_vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(sublinear_tf=True, stop_words="english", token_pattern=TOKENS, dtype=np.float32)


def _char_vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=True,
                           dtype=np.float32, max_features=60_000)


def _clip(texts: list[str]) -> list[str]:
    return [t[:CHAR_LIMIT] for t in texts]


@dataclass
class TextVectors:
    words: sp.csr_matrix  # rows L2-normalised
    latent: np.ndarray  # rows L2-normalised; the char cosine stands in when there is no SVD


class TextModel:
    """Fitted on one corpus; transforms any text into word and latent vectors."""

    def __init__(self, texts: list[str]) -> None:
        self.words = _word_vectorizer()
        self.chars = _char_vectorizer()
        self.svd: TruncatedSVD | None = None
        self._names: np.ndarray | None = None
        usable = [t for t in texts if t.strip()] or ["empty"]
        try:
            words = self.words.fit_transform(usable)
        except ValueError:  # only stop words: keep a vocabulary that matches nothing
            self.words = _word_vectorizer().fit(["placeholder"])
            words = self.words.transform(usable)
        chars = self.chars.fit_transform(_clip(usable))
        joint = sp.hstack([words, chars * CHAR_SHARE]).tocsr()
        dims = min(LSA_DIMENSIONS, joint.shape[0] - 1, joint.shape[1] - 1)
        if dims >= 2:
            self.svd = TruncatedSVD(n_components=dims, random_state=0, algorithm="randomized", n_iter=4)
            self.svd.fit(joint)

    def transform(self, texts: list[str]) -> TextVectors:
        words = self.words.transform(texts)
        chars = self.chars.transform(_clip(texts))
        if self.svd is None:
            latent = chars
        else:
            latent = self.svd.transform(sp.hstack([words, chars * CHAR_SHARE]).tocsr())
        latent = normalize(latent).astype(np.float32)
        return TextVectors(words=words.tocsr(), latent=latent.toarray() if sp.issparse(latent) else latent)

    def shared_terms(self, a: str, b: str, limit: int = 5) -> list[str]:
        """The words that contribute most to the word cosine of two texts."""
        vectors = self.words.transform([a, b])
        product = vectors[0].multiply(vectors[1]).tocoo()
        if self._names is None:
            self._names = self.words.get_feature_names_out()
        names = self._names
        order = np.argsort(-product.data)[:limit]
        return [str(names[product.col[i]]) for i in order]


def similarity(query: TextVectors, words: sp.spmatrix, latent: np.ndarray) -> np.ndarray:
    """Text similarity of one query against many rows, in [0, 1]. Pass `words` as CSC to avoid a copy."""
    row = query.words.tocsr()
    if row.nnz:  # an inverted-index walk: only the columns of the query's words are read
        word_cos = np.asarray(sp.csc_matrix(words)[:, row.indices] @ row.data).ravel()
    else:
        word_cos = np.zeros(words.shape[0], dtype=np.float32)
    if latent.shape[1] != query.latent.shape[1]:
        return word_cos
    latent_cos = np.clip(latent @ query.latent[0], 0.0, 1.0)
    return WORD_SHARE * word_cos + (1.0 - WORD_SHARE) * latent_cos


def pair_similarity(a: str, b: str) -> tuple[float, list[str]]:
    """Text similarity of two documents on their own (no corpus): for the pure compare()."""
    model = TextModel([a, b])
    vectors = model.transform([a, b])
    value = similarity(TextVectors(vectors.words[1], vectors.latent[1:2]), vectors.words[0:1],
                       vectors.latent[0:1])
    return float(value[0]), model.shared_terms(a, b)
