"""The text facet: BM25 on words, and a latent semantic space (LSA) over TF-IDF words and character n-grams.

Words find shared vocabulary, weighted the Okapi BM25 way (term frequency saturates, long documents
are not favoured, rare words count most), so a long self-reported record that repeats "mining" does
not beat a short one that names the target's situation; character n-grams catch morphology ("steelworks" ~ "steel",
"distrust" ~ "mistrust"); TruncatedSVD over both folds co-occurring terms together, so
"mistrust between the steel company and residents" lands near "deadlock between AMZ and EcoForum".
A model is fitted only on the cases one access scope may read (see scope_models.py): statistics never
cross tenants.

Cost: fitting grows with the corpus (the SVD most), so a model learns its vocabulary, IDF and latent
space from a bounded sample (`FIT_SAMPLE` documents, chosen by scope_models.fit_sample) and only transforms the rest;
character n-grams seen in a single document are dropped (`min_df=2`), which also keeps one-off
spellings and names out of the latent space.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize

LSA_DIMENSIONS = 128
FIT_SAMPLE = 3000  # documents a model is fitted on; the rest of the scope is only transformed
CHAR_FEATURES = 30_000
CHAR_MIN_DF = 2
BATCH = 2048  # documents transformed at a time
WORD_CACHE = 200_000  # distinct words whose n-gram ids a model keeps
MIN_DF_CORPUS = 200  # below this a corpus keeps every n-gram: small scopes have few documents to agree
CHAR_LIMIT = 1200  # characters of each document the n-gram analyser reads (cost grows with it)
WORD_SHARE = 0.75  # text similarity = WORD_SHARE * word cosine + (1 - WORD_SHARE) * latent cosine
CHAR_SHARE = 0.5  # weight of the character block against the word block inside the latent space
TOKENS = r"(?u)\b[^\W\d_][^\W\d_]+\b"
BM25_K1, BM25_B = 1.2, 0.75
QUERY_TF = True
# Words too general to explain a match ("shared terms"): they still count in the score.
FILLER = frozenset("""able also based help including like make many need new non order partner partners
partnership partnerships programme programmes project projects support supports use want wants way ways
work working works""".split())


def _word_vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(sublinear_tf=True, stop_words="english", token_pattern=TOKENS, dtype=np.float32)


def _char_vectorizer(corpus_size: int) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=True,
                           dtype=np.float32, max_features=CHAR_FEATURES,
                           min_df=CHAR_MIN_DF if corpus_size >= MIN_DF_CORPUS else 1)


def _clip(texts: list[str]) -> list[str]:
    return [t[:CHAR_LIMIT] for t in texts]


@dataclass
class TextVectors:
    words: sp.csr_matrix  # rows L2-normalised
    latent: np.ndarray  # rows L2-normalised; the char cosine stands in when there is no SVD


class TextModel:
    """Fitted on one corpus (or a sample of it); transforms any text into word and latent vectors."""

    def __init__(self, texts: list[str]) -> None:
        self.words = _word_vectorizer()
        usable = [t for t in texts if t.strip()] or ["empty"]
        self.chars = _char_vectorizer(len(usable))
        self.projection: np.ndarray | None = None  # the SVD's components, transposed and contiguous
        self._names: np.ndarray | None = None
        try:
            words = self.words.fit_transform(usable)
        except ValueError:  # only stop words: keep a vocabulary that matches nothing
            self.words = _word_vectorizer().fit(["placeholder"])
            words = self.words.transform(usable)
        chars = self.chars.fit_transform(_clip(usable))
        for vectorizer in (self.words, self.chars):  # every pruned n-gram: large, and only for introspection
            vectorizer.__dict__.pop("stop_words_", None)
        self.counter = CountVectorizer(vocabulary=self.words.vocabulary_, stop_words="english",
                                       token_pattern=TOKENS, dtype=np.float32)
        n = len(usable)
        df = (1 + n) / np.exp(self.words.idf_.astype(np.float64) - 1) - 1  # sklearn's smooth idf, inverted
        self.bm25_idf = np.log(1 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
        self.avg_length = float(self.counter.transform(usable).sum() / n) or 1.0
        chars.data *= CHAR_SHARE  # in place, and stacked straight into CSR: the fit's largest matrices
        joint = sp.hstack([words, chars], format="csr")
        del words, chars
        dims = min(LSA_DIMENSIONS, joint.shape[0] - 1, joint.shape[1] - 1)
        if dims >= 2:
            svd = TruncatedSVD(n_components=dims, random_state=0, algorithm="randomized", n_iter=4).fit(joint)
            self.projection = np.ascontiguousarray(svd.components_.T, dtype=np.float32)

    def __getstate__(self) -> dict:
        state = {**self.__dict__, "_grams": {}, "_names": None}  # caches are rebuilt, not stored
        state.pop("_analyze", None)
        return state

    def _gram_ids(self, word: str, remember: bool) -> np.ndarray:
        """Feature ids of one word's n-grams: words repeat across documents, so each is cut once."""
        grams = self.__dict__.setdefault("_grams", {})
        ids = grams.get(word)
        if ids is None:
            vocabulary = self.chars.vocabulary_
            if "_analyze" not in self.__dict__:
                self._analyze = self.chars.build_analyzer()
            ids = np.fromiter((vocabulary[g] for g in self._analyze(word) if g in vocabulary), dtype=np.int32)
            if remember and len(grams) < WORD_CACHE:
                grams[word] = ids
        return ids

    def _char_tfidf(self, texts: list[str], remember: bool) -> sp.csr_matrix:
        """The same matrix as `self.chars.transform` (char_wb n-grams never cross a space, so a text's
        n-grams are its words' n-grams), several times faster on large corpora."""
        columns, counts, indptr = [], [], [0]
        for t in _clip(texts):
            parts = [self._gram_ids(w, remember) for w in t.lower().split()]
            ids, n = np.unique(np.concatenate(parts) if parts else np.zeros(0, np.int32), return_counts=True)
            columns.append(ids)
            counts.append(n)
            indptr.append(indptr[-1] + ids.size)
        cols = np.concatenate(columns) if columns else np.zeros(0, np.int32)
        data = (np.log(np.concatenate(counts).astype(np.float32)) + 1) * self.chars.idf_[cols] if columns else cols
        matrix = sp.csr_matrix((np.asarray(data, np.float32), cols, indptr), shape=(len(texts), len(self.chars.idf_)))
        return normalize(matrix, copy=False)

    def transform(self, texts: list[str], remember: bool = True) -> TextVectors:
        """In batches, so the wide character matrix of a large corpus never exists all at once.
        `remember=False` keeps the texts' words out of the word cache: for a model shared with other
        scopes (model_cache.py, Reuse), so not even a cache of it holds a word of another scope's texts."""
        if len(texts) <= BATCH:
            return self._transform(texts, remember)
        words, latent = [], None
        for i in range(0, len(texts), BATCH):  # latent rows go straight into one array: no stacked copy
            part = self._transform(texts[i:i + BATCH], remember)
            if latent is None:
                latent = np.empty((len(texts), part.latent.shape[1]), dtype=np.float32)
            latent[i:i + BATCH] = part.latent
            words.append(part.words)
        return TextVectors(words=sp.vstack(words, format="csr"), latent=latent)

    def _bm25_and_tfidf(self, texts: list[str]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """One tokenising pass: BM25 document weights (1 for a word said once in a document of average
        length) and the TF-IDF rows the latent space was fitted on (sublinear tf, L2), from the counts."""
        counts = self.counter.transform(texts).tocsr()
        lengths = np.asarray(counts.sum(axis=1)).ravel()
        norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths / self.avg_length)
        tf = counts.data
        bm25 = counts.copy()
        bm25.data = (tf * (1 + BM25_K1) / (tf + np.repeat(norm, np.diff(counts.indptr)))).astype(np.float32)
        tfidf = counts.copy()
        tfidf.data = ((np.log(tf) + 1) * self.words.idf_[counts.indices]).astype(np.float32)
        return bm25, normalize(tfidf, copy=False)

    def word_cosines(self, queries: list[str], texts: list[str]) -> np.ndarray:
        """TF-IDF word cosine of each query against each text (queries x texts): symmetric and length-blind,
        for comparing short statements with short block texts, where BM25's document-length model has
        nothing to normalise against."""
        _, q = self._bm25_and_tfidf(queries)
        _, t = self._bm25_and_tfidf(texts)
        return np.asarray((q @ t.T).todense(), dtype=np.float32)

    def query(self, text: str, remember: bool = True) -> TextVectors:
        """A target as a query: its words at their BM25 idf times how often the target says them (a word
        of the title that is also a tag counts twice), and its latent vector."""
        vectors = self._transform([text], remember)
        row = self.counter.transform([text]).tocsr()
        row.data = (self.bm25_idf[row.indices] * (row.data if QUERY_TF else 1.0)).astype(np.float32)
        return TextVectors(words=row, latent=vectors.latent)

    def _transform(self, texts: list[str], remember: bool) -> TextVectors:
        if not hasattr(self, "counter"):  # pragma: no cover - models are stored with their format (store.py)
            raise ValueError("a text model of an older format")
        bm25, words = self._bm25_and_tfidf(texts)
        chars = self._char_tfidf(texts, remember)
        if self.projection is None:
            latent = chars
        else:  # what TruncatedSVD.transform does, without copying the components on every call
            chars.data *= CHAR_SHARE
            latent = sp.hstack([words, chars], format="csr") @ self.projection
        latent = normalize(latent).astype(np.float32, copy=False)
        return TextVectors(words=bm25, latent=latent.toarray() if sp.issparse(latent) else latent)

    def shared_terms(self, query: sp.csr_matrix, other: str | sp.spmatrix, limit: int = 5,
                     allowed: frozenset[str] | None = None) -> list[str]:
        """The words that contribute most to the BM25 score of a query and a text (or its already
        transformed word row, restricted or not to the query's columns). `allowed`: the words the
        target itself wrote (prose_words), so no tag slug or filler is ever shown as shared."""
        row = self._transform([other], remember=False).words if isinstance(other, str) else other
        if row.shape[1] != query.shape[1]:  # a row over the query's columns only
            values = np.asarray(row.todense()).ravel() * query.data
            columns = query.indices
        else:
            product = query.multiply(row).tocoo()
            values, columns = product.data, product.col
        if self._names is None:
            self._names = self.words.get_feature_names_out()
        order = [i for i in np.argsort(-values, kind="stable") if values[i] > 0]
        names = [str(self._names[columns[i]]) for i in order]
        return [w for w in names if allowed is None or w in allowed][:limit]


WORD = re.compile(TOKENS)


def prose_words(doc: dict) -> frozenset[str]:
    """The words the target itself wrote (title, summary, goals), lowercased, without filler."""
    prose = " ".join(str(doc.get(k) or "") for k in ("title", "summary", "goals")).lower()
    return frozenset(w for w in WORD.findall(prose) if w not in FILLER)


def word_similarity(query: TextVectors, words: sp.spmatrix) -> np.ndarray:
    """The BM25 word part of `similarity`, in [0, 1]: 1 when every query word is said about once, at average
    length. Pass `words` as CSC to avoid a copy."""
    row = query.words.tocsr()
    if not row.nnz:
        return np.zeros(words.shape[0], dtype=np.float32)
    # an inverted-index walk: only the columns of the query's words are read
    bm25 = np.asarray(sp.csc_matrix(words)[:, row.indices] @ row.data).ravel() / float(row.data.sum())
    return np.minimum(1.0, bm25)


def similarity(query: TextVectors, words: sp.spmatrix, latent: np.ndarray) -> np.ndarray:
    """Text similarity of one query against many rows, in [0, 1]. Pass `words` as CSC to avoid a copy."""
    word_cos = word_similarity(query, words)
    if latent.shape[1] != query.latent.shape[1]:
        return word_cos
    latent_cos = np.clip(latent @ query.latent[0], 0.0, 1.0)
    return WORD_SHARE * word_cos + (1.0 - WORD_SHARE) * latent_cos


def pair_similarity(a: str, b: str) -> tuple[float, list[str]]:
    """Text similarity of two documents on their own (no corpus): for the pure compare()."""
    model = TextModel([a, b])
    query, vectors = model.query(a), model.transform([b])
    value = similarity(query, vectors.words, vectors.latent)
    return float(value[0]), model.shared_terms(query.words, vectors.words[0], allowed=None)
