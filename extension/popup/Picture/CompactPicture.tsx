import { useEffect, useState } from 'preact/hooks';
import type { VisitorState } from '../../../protocol/events';
import { pictureNow } from '../../shared/story';
import { useTabStory } from '../hooks';

interface Props {
  tabId: number;
  /** Moves when the log or a delivery does: the story is asked again only then. */
  revision: string;
  visitID: string;
  /** The state the companion reports, when it could be asked (it wins over the moments). */
  visitorState?: VisitorState;
  /** The list's filter text: the picture dims what it does not match (one filter box in the popup). */
  filter: string;
}

type Timeline = typeof import('../../../ui/timeline');
let loading: Promise<Timeline> | null = null;

/**
 * The current visit drawn small above the list. The picture's code and the visit's story (from
 * the worker, over the whole log) come after the list is on screen: the popup's first screen
 * waits for neither.
 */
export function CompactPicture({ tabId, revision, visitID, visitorState, filter }: Props) {
  const told = useTabStory(tabId, revision, visitID);
  const [ui, setUi] = useState<Timeline | null>(null);
  useEffect(() => {
    let live = true;
    void (loading ??= import('../../../ui/timeline')).then((m) => live && setUi(m));
    return () => {
      live = false;
    };
  }, []);
  const story = told?.story && told.story.visitID === visitID ? told.story : null;
  if (!story || !ui) {
    return (
      <div id="picture" class="picture" data-ready="false">
        <p class="muted">{told && ui ? 'Nothing of this visit captured yet.' : 'Drawing the visit…'}</p>
      </div>
    );
  }
  return (
    <div id="picture" class="picture" data-ready="true" data-moments={story.moments.length}>
      <ui.VisitTimeline story={visitorState ? { ...story, visitorState } : story} compact filter={filter} filterBox={false} now={pictureNow(story, Date.now())} />
    </div>
  );
}
