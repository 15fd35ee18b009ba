"""Element-tree surgery for the cut: where the anchor goes, what the excerpt
keeps, and where its links point. Used by blog/rendering.py while Markdown's
tree is still a tree.
"""

import copy

CODE_TAGS = frozenset({"pre", "code"})


def text_slots(root):
    """Yield (element, "text"/"tail") in document order, outside code."""
    for child in root:
        if child.tag in CODE_TAGS:
            yield child, "tail"
            continue
        yield child, "text"
        yield from text_slots(child)
        yield child, "tail"


def footnote_elements(root):
    """Return the elements of the footnote list that Markdown appends."""
    return {
        element
        for div in root.iter("div")
        if div.get("class") == "footnote"
        for element in div.iter()
    }


def parent_map(root):
    """Return each element's parent: ElementTree elements do not know it."""
    return {child: parent for parent in root.iter() for child in parent}


def insert_after_slot(root, owner, attribute, element):
    if attribute == "text":
        owner.insert(0, element)
    else:
        parent = parent_map(root)[owner]
        parent.insert(list(parent).index(owner) + 1, element)


def unwrap_lone_anchor(root, anchor):
    # A marker on a line of its own made a paragraph of nothing but the
    # anchor; the anchor takes that paragraph's place.
    parent = parent_map(root)[anchor]
    alone = len(parent) == 1 and not (parent.text or "").strip()
    if parent.tag == "p" and alone and not (anchor.tail or "").strip():
        grandparent = parent_map(root)[parent]
        anchor.tail = parent.tail
        grandparent.insert(list(grandparent).index(parent), anchor)
        grandparent.remove(parent)
    return anchor


def excerpt_tree(root, anchor_id):
    """Return a copy of `root` holding only what comes before the anchor."""
    excerpt = copy.deepcopy(root)
    parents = parent_map(excerpt)
    node = next(el for el in excerpt.iter() if el.get("id") == anchor_id)
    while node is not excerpt:
        parent = parents[node]
        index = list(parent).index(node)
        for later in list(parent)[index + 1 :]:
            parent.remove(later)
        if node.tail and node.tail.strip():
            node.tail = None
        node = parent
    anchor = next(el for el in excerpt.iter() if el.get("id") == anchor_id)
    remove_emptied(parents, excerpt, anchor)
    return excerpt


def remove_emptied(parents, excerpt, anchor):
    # Drop the anchor, then the elements the cut left empty (a paragraph
    # that began with the marker), innermost first.
    node, parent = anchor, parents[anchor]
    index = list(parent).index(node)
    if index:
        parent[index - 1].tail = (parent[index - 1].tail or "").rstrip() or None
    else:
        parent.text = (parent.text or "").rstrip() or None
    parent.remove(node)
    while parent is not excerpt and len(parent) == 0:
        if (parent.text or "").strip():
            break
        node, parent = parent, parents[parent]
        parent.remove(node)


def link_missing_targets(root, post_url):
    """Point links to ids that `root` lacks at the post page instead."""
    if not post_url:
        return
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    for link in root.iter("a"):
        href = link.get("href", "")
        if href.startswith("#") and href[1:] not in ids:
            link.set("href", post_url + href)
