"""Cases under /api/v1/cases: the record routes (casebook.api.records) plus the case's own: its filtered
list, its building blocks and the owner's confirmation that an unchanged case is still current."""

from litestar import Controller, Response, get, post
from litestar.params import FromQuery

from casebook.api.params import ActorDep, OptQueryStr, Page, PathStr
from casebook.api.records import PerPage, RecordApi, record_controller, with_etag
from casebook.api.schemas import shaped
from casebook.api.schemas.cases import Block, Case, CaseAtRevision, CasePage
from casebook.services import blocks, cases


@get("/", summary="List the cases you may read, with paging and filters")
async def list_cases(
    self: Controller, actor: ActorDep, page: Page = 1, per_page: PerPage = 20, country: OptQueryStr = None,
    sector: OptQueryStr = None, sdg: OptQueryStr = None, scenario: OptQueryStr = None,
    status: OptQueryStr = None, tenant: OptQueryStr = None, visibility: OptQueryStr = None,
    deleted: FromQuery[bool] = False,
) -> CasePage:
    filters = cases.CaseFilters.parse(country=country, sector=sector, sdg=sdg, scenario=scenario,
                                      status=status, tenant=tenant, visibility=visibility)
    return shaped(CasePage, await cases.list_cases(actor, filters, page=page, per_page=per_page, deleted=deleted))


@get("/{tenant:str}/{slug:str}/blocks/{block_id:str}", summary="Read a building block of a case")
async def get_block(self: Controller, actor: ActorDep, tenant: PathStr, slug: PathStr, block_id: PathStr) -> Block:
    """The block with its case, enabling factors, MSP steps, linked lessons and the cases it is used in."""
    return shaped(Block, await blocks.get_block(actor, tenant, slug, block_id))


@post("/{tenant:str}/{slug:str}/confirm", summary="Confirm an unchanged case is still current", status_code=200)
async def confirm_case(self: Controller, actor: ActorDep, tenant: PathStr, slug: PathStr) -> Response[Case]:
    return with_etag(shaped(Case, await cases.confirm_case(actor, tenant, slug)))


CASES = RecordApi(kind=cases.KIND, view=Case, at_revision=CaseAtRevision)
CaseController = record_controller(CASES, list_cases=list_cases, get_block=get_block, confirm_case=confirm_case)
